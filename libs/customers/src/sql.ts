// Statement parts of the customers library that other libraries compose into a statement of their
// own, where one statement across tables is what keeps a hot path fast (docs/architecture.md,
// "Statement parts"). Only this library writes customers; these functions are how it lends that
// write to a statement another library runs. No imports: import them as '@app/customers/sql'.

// Marks clients at risk after a low score. `source` is a relation with customer_id and
// responded_at (the time of the low score).
export function markDetractorsSql(source: string): string {
  return `UPDATE customers c SET last_detractor_at = s.responded_at FROM ${source} s WHERE c.id = s.customer_id`;
}
