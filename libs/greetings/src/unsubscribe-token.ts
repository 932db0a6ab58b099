import { createHmac, timingSafeEqual } from 'node:crypto';

// Unsubscribe links carry the client id and an HMAC of it: nothing to store, and a link cannot
// be forged or guessed for another client (128-bit MAC). The key is the unsubscribe key derived
// from JWT_SECRET (purposeKey); links mailed before it existed were made with JWT_SECRET itself
// and are still honoured (`legacySecret`), so a client's old email keeps working.
function mac(key: Buffer | string, customerId: string): Buffer {
  return createHmac('sha256', key).update(`unsubscribe:${customerId}`).digest().subarray(0, 16);
}

export function unsubscribeToken(key: Buffer, customerId: string): string {
  const id = Buffer.from(customerId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${mac(key, customerId).toString('base64url')}`;
}

export function verifyUnsubscribeToken(key: Buffer, token: string, legacySecret?: string): string | null {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const hex = Buffer.from(match[1], 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const customerId = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  const given = Buffer.from(match[2], 'base64url');
  const matches = (expected: Buffer) => given.length === expected.length && timingSafeEqual(given, expected);
  return matches(mac(key, customerId)) || (legacySecret !== undefined && matches(mac(legacySecret, customerId)))
    ? customerId
    : null;
}
