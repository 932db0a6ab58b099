import { createHash, createHmac } from 'node:crypto';

// Tencent Cloud API 3.0's signature v3, TC3-HMAC-SHA256, as its "Signature v3" page specifies, for
// a POST of a JSON body with the headers content-type and host signed:
//   CanonicalRequest = POST \n / \n (empty query) \n content-type:…\nhost:…\n \n content-type;host \n hex(sha256(body))
//   StringToSign = TC3-HMAC-SHA256 \n timestamp \n <UTC date>/<service>/tc3_request \n hex(sha256(CanonicalRequest))
//   key = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request"); Signature = hex(HMAC(key, StringToSign))
// The fake provider in test/ verifies with the same code.

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
export const TC3_SIGNED_HEADERS = 'content-type;host';
export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface Tc3Request {
  host: string;
  service: string;
  body: string;
  // Seconds since the epoch (the X-TC-Timestamp header).
  timestamp: number;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

// The UTC date of the timestamp, as the credential scope names it (2019-02-25).
export const tc3Date = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function tc3CanonicalRequest({ host, body }: Tc3Request): string {
  return [
    'POST',
    '/',
    '',
    `content-type:${TC3_CONTENT_TYPE}\nhost:${host}\n`,
    TC3_SIGNED_HEADERS,
    sha256Hex(body),
  ].join('\n');
}

export function tc3StringToSign(request: Tc3Request): string {
  const scope = `${tc3Date(request.timestamp)}/${request.service}/tc3_request`;
  return [TC3_ALGORITHM, String(request.timestamp), scope, sha256Hex(tc3CanonicalRequest(request))].join('\n');
}

export function tc3Signature(request: Tc3Request, secretKey: string): string {
  const secretDate = hmac(`TC3${secretKey}`, tc3Date(request.timestamp));
  const secretService = hmac(secretDate, request.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return createHmac('sha256', secretSigning).update(tc3StringToSign(request), 'utf8').digest('hex');
}

// The Authorization header of a request.
export function tc3Authorization(request: Tc3Request, secretId: string, secretKey: string): string {
  const scope = `${tc3Date(request.timestamp)}/${request.service}/tc3_request`;
  return (
    `${TC3_ALGORITHM} Credential=${secretId}/${scope}, SignedHeaders=${TC3_SIGNED_HEADERS}, ` +
    `Signature=${tc3Signature(request, secretKey)}`
  );
}

const AUTHORIZATION = new RegExp(
  '^TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/([a-z]+)/tc3_request, ' +
    'SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$',
);

// An Authorization header read back (the fake provider checks each part).
export function parseTc3Authorization(
  header: string,
): { secretId: string; date: string; service: string; signedHeaders: string; signature: string } | null {
  const match = AUTHORIZATION.exec(header);
  if (!match) return null;
  const [, secretId, date, service, signedHeaders, signature] = match;
  return { secretId, date, service, signedHeaders, signature };
}
