import { isUUID } from 'class-validator';

import { AppError } from '@app/common';

// Keyset pagination cursors: the last row's sort key, opaque to clients (base64url JSON).
export function encodeCursor(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// What each part of a cursor holds. A forged cursor is checked part by part here, so it is a
// 400 rather than a failed cast (and a 500) in the query that uses it.
export type CursorPart = 'uuid' | 'timestamp' | 'text';

// Exactly what toISOString wrote (so no 31 February), in years PostgreSQL has.
const isInstant = (v: string): boolean =>
  /^(?!0000)\d{4}-/.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
const fits: Record<CursorPart, (v: unknown) => boolean> = {
  uuid: (v) => typeof v === 'string' && isUUID(v),
  // As encoded (toISOString), or the ±infinity a missing date sorts as; null sorts nowhere.
  timestamp: (v) => v === null || v === '-infinity' || v === 'infinity' || (typeof v === 'string' && isInstant(v)),
  text: (v) => typeof v === 'string' && !v.includes('\u0000'),
};

export function decodeCursor(cursor: string, shape: readonly CursorPart[]): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === shape.length && shape.every((part, i) => fits[part](value[i])))
      return value;
  } catch {
    /* fall through */
  }
  throw new AppError('invalid', ['cursor must be a value returned as nextCursor']);
}
