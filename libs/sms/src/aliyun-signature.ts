import { createHmac } from 'node:crypto';

// Aliyun's RPC signature, version 1.0 (HMAC-SHA1), as its API reference specifies: every
// parameter but Signature, percent-encoded (RFC 3986: space %20, * %2A, ~ kept), sorted by name,
// joined as a query; StringToSign = "GET&%2F&" + that query percent-encoded once more; the key is
// the AccessKey secret followed by "&". The fake provider in test/ verifies with the same code.

export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign(method, params), 'utf8').digest('base64');
}

// The request URL: the canonical query plus the signature.
export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${canonicalQuery(params)}&Signature=${percentEncode(rpcSignature('GET', params, secret))}`;
}
