import type { ValueTransformer } from 'typeorm';

// PostgreSQL returns numeric and bigint as strings (they may not fit a JS number). Amounts here
// stay far below 2^53 fen, so they are read back as numbers.
export const numberTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
