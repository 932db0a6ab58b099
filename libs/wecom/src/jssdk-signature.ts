import { createHash, randomBytes } from 'node:crypto';

// The JS-SDK signature (WeCom's JS-SDK 使用权限签名算法, the same for wx.config with the corp's
// jsapi_ticket and wx.agentConfig with the app's agent_config ticket): the hex SHA-1 of
// "jsapi_ticket=…&noncestr=…&timestamp=…&url=…", keys in that order, values as they are (the URL
// without its #fragment, not escaped).
export function jsapiSignature(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  const text = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url.split('#')[0]}`;
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

export function newNonceStr(): string {
  return randomBytes(12).toString('base64url');
}
