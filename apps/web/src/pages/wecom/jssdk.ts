// WeCom's JS-SDK (jwxwork) in the sidebar: load it (unless the page already has `window.wx`, as in
// WeCom's own webview with the SDK injected, or a test's stub), sign in with wx.config and
// wx.agentConfig (signatures made by our server), then ask which external contact the chat is with.
import type { WecomJsConfig } from '../../api/wecom';

interface WxResult {
  err_msg?: string;
  errMsg?: string;
  userId?: string;
}

interface WxSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface Wx {
  config(options: WxSignature & { beta: boolean; debug: boolean; appId: string; jsApiList: string[] }): void;
  ready(callback: () => void): void;
  error(callback: (res: WxResult) => void): void;
  agentConfig(
    options: WxSignature & {
      corpid: string;
      agentid: string;
      jsApiList: string[];
      success(res: WxResult): void;
      fail(res: WxResult): void;
    },
  ): void;
  invoke(name: string, params: Record<string, unknown>, callback: (res: WxResult) => void): void;
}

declare global {
  interface Window {
    wx?: Wx;
  }
}

const LEGACY_URLS = [
  'https://res.wx.qq.com/open/js/jweixin-1.2.0.js',
  'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js',
];

export class WecomSdkError extends Error {
  constructor(
    readonly step: 'load' | 'config' | 'agentConfig' | 'contact',
    detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new WecomSdkError('load', src));
    document.head.appendChild(script);
  });
}

async function sdk(): Promise<Wx> {
  if (!window.wx) for (const src of LEGACY_URLS) await loadScript(src);
  if (!window.wx) throw new WecomSdkError('load', 'wx missing');
  return window.wx;
}

const API_LIST = ['getCurExternalContact'];

// The page's URL as the JS-SDK signs it: without its #fragment (WeCom's rule).
export const signedUrl = (): string => window.location.href.split('#')[0];

// The external userid of the contact whose chat the sidebar sits beside. `signed`: the signatures
// for signedUrl(), at hand, on their way (the SDK loads meanwhile) or asked for now.
export async function currentExternalContact(
  signed: WecomJsConfig | Promise<WecomJsConfig> | ((url: string) => Promise<WecomJsConfig>),
): Promise<string> {
  const [wx, config] = await Promise.all([sdk(), typeof signed === 'function' ? signed(signedUrl()) : signed]);
  await new Promise<void>((resolve, reject) => {
    wx.config({ beta: true, debug: false, appId: config.corpId, ...config.config, jsApiList: API_LIST });
    wx.ready(() => resolve());
    wx.error((res) => reject(new WecomSdkError('config', res.errMsg ?? '')));
  });
  await new Promise<void>((resolve, reject) => {
    wx.agentConfig({
      corpid: config.corpId,
      agentid: config.agentId,
      ...config.agentConfig,
      jsApiList: API_LIST,
      success: () => resolve(),
      fail: (res) => reject(new WecomSdkError('agentConfig', res.errMsg ?? '')),
    });
  });
  return new Promise<string>((resolve, reject) => {
    wx.invoke('getCurExternalContact', {}, (res) => {
      if (res.err_msg === 'getCurExternalContact:ok' && res.userId) resolve(res.userId);
      else reject(new WecomSdkError('contact', res.err_msg ?? ''));
    });
  });
}
