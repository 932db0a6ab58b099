import fc from 'fast-check';
import type { DataSource } from 'typeorm';

// Hostile input for the fuzz spec: what a careless client, a scanner or an attacker sends.

// Reproducible by default; FUZZ_SEED=<n> replays another run, FUZZ_RUNS=<n> multiplies the runs.
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261122);
export const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS ?? 1)));

export const SQL_INJECTION = [
  `' OR 1=1 --`,
  `'); DROP TABLE customers; --`,
  `1; SELECT pg_sleep(5) --`,
  `" OR ""="`,
  `%' AND 1=(SELECT count(*) FROM users) AND '%'='`,
  `\\'; TRUNCATE audit_log; --`,
  `$1`,
  `:name`,
  `%_%`,
  `E'\\x00'`,
];

export const TEMPLATE_INJECTION = [
  `{{constructor.constructor('return process')()}}`,
  `{{#with "a" as |x|}}{{x.constructor}}{{/with}}`,
  '${process.env}',
  '${7*7}',
  '#{7*7}',
  '<%= 7*7 %>',
  `<script>alert(1)</script>`,
  `<img src=x onerror=alert(1)>`,
  `{{__proto__}}`,
  `{{lookup this "constructor"}}`,
  `{{> x}}`,
];

export const UNICODE_EDGES = [
  '😀',
  '👨‍👩‍👧‍👦', // ZWJ sequence
  '🏳️‍🌈',
  '\u202Eevil\u202C', // right-to-left override
  'مرحبا بالعالم',
  'שלום',
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  'Z̴̡̛͙̫̈́a̸̢͉̔l̷̰̈g̶̱̈́o̵̞͝',
  '\u200B\u200C\u200D\uFEFF', // zero-width characters only
  '\u00A0 \u3000', // no-break and ideographic spaces only
  '𠀀𪚥', // astral CJK
  'ＡＢＣ１２３', // full-width
  '\r\n\t',
  '\u0001\u0007\u001B[31m',
];

// Strings PostgreSQL cannot store (NUL) or that are not Unicode at all (lone surrogates).
export const UNSTORABLE = ['\u0000', 'a\u0000b', '王\u0000建国', '\uD800', 'a\uDFFFb', '\uDBFF\uDBFF'];

export const NUMBERISH = [
  '0',
  '-1',
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '9007199254740993',
  '0x10',
  '1_000',
  ' 1 ',
  '',
  ' ',
  'null',
  'undefined',
  'true',
];

export const HUGE = ['x'.repeat(100_001), '酒'.repeat(100_001), '😀'.repeat(50_001)];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_INJECTION, ...TEMPLATE_INJECTION),
  fc.constantFrom(...UNICODE_EDGES),
  fc.constantFrom(...UNSTORABLE),
  fc.constantFrom(...NUMBERISH),
  fc.constantFrom(...HUGE),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    -1.5,
    2 ** 31,
    2 ** 31 - 1,
    2 ** 32,
    2 ** 63,
    -(2 ** 63),
    1e11,
    1e12,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 1,
    Number.MIN_SAFE_INTEGER - 1,
    5e-324,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// Prototype pollution in a field's value (the keys arrive as own JSON keys).
const pollution = [
  JSON.parse('{"__proto__":{"isAdmin":true}}') as object,
  JSON.parse('{"constructor":{"prototype":{"isAdmin":true}}}') as object,
  { $gt: '' },
  { $where: '1' },
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 2 },
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], ['x'], [1, 2, 3], { a: 1 }, ...pollution),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(hostileString, hostileNumber), { maxKeys: 3 }),
);

// Values a valid text field must store as data, byte for byte (no NUL, nothing ill-formed).
export const storableText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...SQL_INJECTION,
    ...TEMPLATE_INJECTION,
    ...UNICODE_EDGES.filter((s) => s.trim() !== '' && [...s].every((ch) => ch.codePointAt(0)! >= 0x20)),
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
);

// Bodies that are not JSON, or not a JSON object, sent as application/json.
export const MALFORMED_JSON: string[] = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  '[1,2,]',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{a:1}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":0x10}',
  '{"a":01}',
  '{"a":"\u0001"}',
  '/* comment */ {}',
  '\uFEFF\uFEFF{}',
  '{"a":1e309}',
  '1e309',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":{"__proto__":{"polluted":1}}}',
  '['.repeat(10_000) + ']'.repeat(10_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  `{"a":"${'\\u0000'}"}`,
  `{"a":"\\ud800"}`,
  '"\\ud800"',
  'null',
  'true',
  '0',
  '-1',
  '"a string"',
  '[]',
  '[{}]',
  `[${'{},'.repeat(1000)}{}]`,
];

// One request per round trip: every app table's row count and an order-free hash of its rows.
export class TableFingerprint {
  private sql: string | null = null;

  constructor(private readonly db: DataSource) {}

  async take(): Promise<Map<string, string>> {
    if (!this.sql) {
      const tables: { name: string }[] = await this.db.query(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name NOT IN ('migrations', 'typeorm_metadata') ORDER BY 1`,
      );
      this.sql = tables
        .map(
          ({ name }) =>
            `SELECT '${name}' AS name, count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) AS print
              FROM "${name}" t`,
        )
        .join(' UNION ALL ');
    }
    const rows: { name: string; print: string }[] = await this.db.query(this.sql);
    return new Map(rows.map((r) => [r.name, r.print]));
  }
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((name) => before.get(name) !== after.get(name));
}

// A deep copy of `body` with the value at `path` ("a.b.0.c") replaced.
export function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}

export function valueAt(body: unknown, path: string): unknown {
  let node = body;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

// Every path of a body a fuzzer can replace: each key, nested objects' keys, arrays' first items.
export function fieldPaths(body: Record<string, unknown>, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const path = `${prefix}${key}`;
    paths.push(path);
    if (Array.isArray(value) && value.length > 0) {
      paths.push(`${path}.0`);
      if (value[0] !== null && typeof value[0] === 'object')
        paths.push(...fieldPaths(value[0] as Record<string, unknown>, `${path}.0.`));
    } else if (value !== null && typeof value === 'object') {
      paths.push(...fieldPaths(value as Record<string, unknown>, `${path}.`));
    }
  }
  return paths;
}

// Whether a 400's message names the field at `path`: every named segment of it ("items.0.quantity"
// as "items.0.quantity"; "audience.tiers.0" also as class-validator's "audience.each value in tiers").
export function namesField(message: string, path: string): boolean {
  return path
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .every((segment) => message.includes(segment));
}

export function messageText(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return Array.isArray(message) ? message.join(' | ') : String(message ?? '');
}

// A query string a browser could not build: lone surrogates go out as raw, ill-formed UTF-8.
export function encodeQueryValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((ch) => {
        const code = ch.charCodeAt(0);
        if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
          return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((byte) => `%${byte.toString(16)}`)
            .join('');
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

// Query values: hostile strings, raw and broken percent-encodings, and cursors that decode to
// hostile JSON (a real cursor is base64url JSON, so a forged one is the interesting case).
export const hostileQueryValue: fc.Arbitrary<{ raw: string } | { value: string } | { repeated: string[] }> = fc.oneof(
  { arbitrary: hostileString.map((value) => ({ value })), weight: 5 },
  fc
    .constantFrom('%00', '%FF', '%ED%A0%80', '%C0%80', '%', '%zz', '%E4%B8', '+', '%2B', '[]', '[0]', '%5B%5D')
    .map((raw) => ({ raw })),
  fc
    .constantFrom(
      '0001-01-01',
      '9999-12-31',
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '+275760-09-13',
      '2026-01-01T00:00:00Z',
      '1900-01-01',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '12345678-1234-1234-1234-123456789012',
    )
    .map((value) => ({ value })),
  fc
    .array(hostileValue, { minLength: 1, maxLength: 3 })
    .map((items) => ({ value: Buffer.from(JSON.stringify(items)).toString('base64url') })),
  fc
    .tuple(hostileValue, hostileValue)
    .map((pair) => ({ value: Buffer.from(JSON.stringify(pair)).toString('base64url') })),
  fc
    .array(fc.constantFrom('a', '1', '', '%00', 'gold', 'jiang'), { minLength: 2, maxLength: 3 })
    .map((repeated) => ({ repeated })),
);

export function queryPart(name: string, v: { raw: string } | { value: string } | { repeated: string[] }): string {
  const key = encodeURIComponent(name);
  if ('raw' in v) return `${key}=${v.raw}`;
  if ('repeated' in v) return v.repeated.map((r) => `${key}=${r.startsWith('%') ? r : encodeQueryValue(r)}`).join('&');
  return `${key}=${encodeQueryValue(v.value)}`;
}
