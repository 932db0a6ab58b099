// Statement parts of the customers library that other libraries compose into a statement of their
// own, where one statement across tables is what keeps a hot path fast (docs/architecture.md,
// "Statement parts"). Only this library writes customers; these functions are how it lends that
// write to a statement another library runs. No imports: import them as '@app/customers/sql'.

// After survey answers: the answer touches the client (last_touch_at), and a low score marks them at
// risk. `source` is a relation with one row per customer_id: touched_at (the latest answer) and
// detractor_at (the latest low score, or null). One UPDATE for both, as two in one statement would
// not both apply to the same row.
export function touchAfterResponsesSql(source: string): string {
  return `UPDATE customers c
             SET last_touch_at = GREATEST(c.last_touch_at, s.touched_at),
                 last_detractor_at = COALESCE(s.detractor_at, c.last_detractor_at)
            FROM ${source} s WHERE c.id = s.customer_id`;
}
