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
  };
}

// The positional parameters of a raw query built in parts: `value` binds one value and returns its
// placeholder, `fragment` binds a shared condition; pass `values` to query().
export class SqlParams {
  readonly values: unknown[] = [];

  value(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  fragment(fragment: SqlFragment): string {
    const { sql, params } = fragment.at(this.values.length + 1);
    this.values.push(...params);
    return sql;
  }
}
