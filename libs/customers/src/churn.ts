import type { ChurnSettingsDto } from '@app/settings';

// "Drifting away": no purchase for longer than k times the client's own typical gap between
// purchases ((last - first) / (count - 1)); with a single purchase, longer than a fixed number of
// days; or a detractor survey answer within detractorDays. One SQL expression on the client row
// (its purchase statistics and last detractor time), so lists can filter on it. "Now" is the app's
// Clock (`asOf`), never PostgreSQL's now(): one clock for the rule, in SQL as in TypeScript.
export function atRiskSql(
  alias: string,
  churn: ChurnSettingsDto,
  asOf: Date,
): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `(
      (${alias}.purchase_count >= 2 AND ${alias}.last_purchase_at <
        CAST(:churnAsOf AS timestamptz) - (${alias}.last_purchase_at - ${alias}.first_purchase_at) / (${alias}.purchase_count - 1) * CAST(:churnK AS float8))
      OR (${alias}.purchase_count = 1 AND ${alias}.last_purchase_at < CAST(:churnAsOf AS timestamptz) - make_interval(days => CAST(:churnSingleDays AS int)))
      OR (${alias}.last_detractor_at > CAST(:churnAsOf AS timestamptz) - make_interval(days => CAST(:churnDetractorDays AS int)))
    )`,
    params: {
      churnAsOf: asOf.toISOString(),
      churnK: churn.k,
      churnSingleDays: churn.singlePurchaseDays,
      churnDetractorDays: churn.detractorDays,
    },
  };
}
