import { createHash, randomBytes } from 'node:crypto';

// 256 random bits in the link; only the SHA-256 is stored, so a database leak does not leak
// working links. A fast hash is enough for 256-bit random input (nothing to brute-force).
export function newSurveyToken(): string {
  return randomBytes(32).toString('base64url');
}

// A survey link sent by SMS must be short: 12 base62 characters (71 random bits, above the 59 the
// product asks for), its SHA-256 stored in the same column as a long token's, so the survey page
// resolves either. 71 bits cannot be walked online under the page's per-IP rate limit.
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const SHORT_CODE_LENGTH = 12;
export function newSurveyShortCode(): string {
  let code = '';
  while (code.length < SHORT_CODE_LENGTH) {
    // Rejection sampling keeps every character equally likely (248 = 4 × 62).
    for (const byte of randomBytes(SHORT_CODE_LENGTH * 2)) {
      if (byte < 248 && code.length < SHORT_CODE_LENGTH) code += BASE62[byte % 62];
    }
  }
  return code;
}

export function hashSurveyToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function looksLikeSurveyToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token) || /^[A-Za-z0-9]{12}$/.test(token);
}

// A relationship survey's link starts with "r" (one character longer than a contact survey's), so
// the page knows which form a link opens before it reads the database.
export function newRelationshipToken(short: boolean): string {
  return `r${short ? newSurveyShortCode() : newSurveyToken()}`;
}

export function looksLikeRelationshipToken(token: string): boolean {
  return /^r[A-Za-z0-9_-]{43}$/.test(token) || /^r[A-Za-z0-9]{12}$/.test(token);
}
