import { AppError } from '@app/common';

// Keyset pagination cursors: the last row's sort key, opaque to clients (base64url JSON).
export function encodeCursor(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === length) return value;
  } catch {
    /* fall through */
  }
  throw new AppError('invalid', ['cursor must be a value returned as nextCursor']);
}
