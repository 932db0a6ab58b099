// Shapes of the API's JSON the whole console shares. Response bodies are not written here: they are
// generated from the API's OpenAPI document (`npm run api:types` writes ./schema.d.ts) and named
// with Schema<'CustomerDto'>; each area gives its own names next to its calls.
import type { components, operations } from './schema';

export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
// A route's query parameters, as the API documents them (its query DTO).
export type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type User = Schema<'UserDto'>;
export type Role = User['role'];

export const AROMAS = [
  'jiang',
  'nong',
  'qing',
  'mi',
  'feng',
  'jian',
  'zhima',
  'te',
  'chi',
  'yao',
  'laobaigan',
  'fuyu',
] as const;
export type Aroma = (typeof AROMAS)[number];
export const TIERS = ['regular', 'silver', 'gold', 'black'] as const;
export type Tier = (typeof TIERS)[number];
