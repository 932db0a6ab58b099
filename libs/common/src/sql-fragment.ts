// How SQL is written here (docs/architecture.md, "Writing SQL"): TypeORM repositories and query
// builders for simple reads and writes, `query(text, values)` with positional parameters for the
// rest. A condition shared between features (the access policy, the churn rule) is an SqlFragment:
// written once against a `bind` function, it binds positionally into raw SQL (`at`, or through
// SqlParams) or with named parameters into a query builder (`named`).

export type Bind = (value: unknown) => string;

export interface SqlFragment {
  // Positional: parameters numbered from `offset` ($offset, $offset+1, …).
  at(offset: number): { sql: string; params: unknown[] };
  // Named, for a TypeORM query builder: :prefix0, :prefix1, … (two fragments in one query need
  // different prefixes).
  named(prefix?: string): { sql: string; params: Record<string, unknown> };
  // Each value bound by the caller's function: SqlParams with literals, for COPY.
  bound(bind: Bind): string;
}

// A value used twice binds once.
export function sqlFragment(template: (bind: Bind) => string): SqlFragment {
  return {
    at(offset) {
      const params: unknown[] = [];
      const sql = template((value) => {
        let at = params.indexOf(value);
        if (at < 0) at = params.push(value) - 1;
        return `$${offset + at}`;
      });
      return { sql, params };
    },
    named(prefix = 'scope') {
      const params: Record<string, unknown> = {};
      const values: unknown[] = [];
      const sql = template((value) => {
        let at = values.indexOf(value);
        if (at < 0) at = values.push(value) - 1;
        params[`${prefix}${at}`] = value;
        return `:${prefix}${at}`;
      });
      return { sql, params };
    },
    bound: (bind) => template(bind),
  };
}

// The positional parameters of a raw query built in parts: `value` binds one value and returns its
// placeholder, `fragment` binds a shared condition; pass `values` to query().
// `literal` is for the one kind of statement that takes no parameters, COPY: each value is then
// written into the SQL at once as a quoted literal (sqlLiteral), and `values` stays empty.
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly literal?: Bind) {}

  value(value: unknown): string {
    if (this.literal) return this.literal(value);
    this.values.push(value);
    return `$${this.values.length}`;
  }

  fragment(fragment: SqlFragment): string {
    if (this.literal) return fragment.bound(this.literal);
    const { sql, params } = fragment.at(this.values.length + 1);
    this.values.push(...params);
    return sql;
  }
}

// A value as a quoted SQL literal, by the driver's own escaping (pg's escapeLiteral): untyped, so
// PostgreSQL reads it as the type its place wants, as it would a parameter. Dates as ISO text,
// arrays in PostgreSQL's array syntax, null as NULL.
export function sqlLiteral(escape: (text: string) => string): Bind {
  const element = (v: unknown): string => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`);
  return (value) => {
    if (value === null || value === undefined) return 'NULL';
    if (value instanceof Date) return escape(value.toISOString());
    if (Array.isArray(value)) return escape(`{${value.map(element).join(',')}}`);
    return escape(String(value));
  };
}
