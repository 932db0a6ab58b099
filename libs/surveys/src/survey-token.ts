import { createHash, randomBytes } from 'node:crypto';

// 256 random bits in the link; only the SHA-256 is stored, so a database leak does not leak
// working links. A fast hash is enough for 256-bit random input (nothing to brute-force).
export function newSurveyToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSurveyToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function looksLikeSurveyToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
