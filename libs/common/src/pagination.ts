import { isUUID } from 'class-validator';

import { AppError } from './app-error';

// Keyset pagination for every list: ?limit=&cursor= → { items, nextCursor }. A list asks for
// pageSize(limit) + 1 rows in its order; pageOf keeps the page and makes the cursor from the last
// row's sort key (opaque to clients: base64url JSON), checked part by part when it comes back.
export const PAGE_SIZE = { default: 50, max: 200 } as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageSize = (limit: number | undefined): number => limit ?? PAGE_SIZE.default;

// rows: up to size + 1 rows in the list's order; the extra one only says there is a next page.
export function pageOf<R>(
  rows: R[],
  size: number,
  sortKey: (last: R) => unknown[],
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, size);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > size && last !== undefined ? encodeCursor(sortKey(last)) : null };
}

// The last row's sort key as a cursor.
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
  throw AppError.invalid({
    field: 'cursor',
    code: 'isCursor',
    message: 'cursor must be a value returned as nextCursor',
  });
}
