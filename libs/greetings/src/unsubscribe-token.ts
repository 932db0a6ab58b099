import { createHmac, timingSafeEqual } from 'node:crypto';

// Unsubscribe links carry the client id and an HMAC of it: nothing to store, and a link cannot
// be forged or guessed for another client (128-bit MAC).
function mac(secret: string, customerId: string): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe:${customerId}`).digest().subarray(0, 16);
}

export function unsubscribeToken(secret: string, customerId: string): string {
  const id = Buffer.from(customerId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${mac(secret, customerId).toString('base64url')}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const hex = Buffer.from(match[1], 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  const customerId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const given = Buffer.from(match[2], 'base64url');
  const expected = mac(secret, customerId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? customerId : null;
}
