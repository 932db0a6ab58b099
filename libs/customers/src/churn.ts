import type { ChurnSettingsDto } from '@app/settings';

// "Drifting away": no purchase for longer than k times the client's own typical gap between
// purchases ((last - first) / (count - 1)); with a single purchase, longer than a fixed number of
// days; or a detractor survey answer within detractorDays. One SQL expression on the client row
// (its purchase statistics and last detractor time), so lists can filter on it.
export function atRiskSql(alias: string, churn: ChurnSettingsDto): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `(
      (${alias}.purchase_count >= 2 AND ${alias}.last_purchase_at <
        now() - (${alias}.last_purchase_at - ${alias}.first_purchase_at) / (${alias}.purchase_count - 1) * CAST(:churnK AS float8))
      OR (${alias}.purchase_count = 1 AND ${alias}.last_purchase_at < now() - make_interval(days => CAST(:churnSingleDays AS int)))
      OR (${alias}.last_detractor_at > now() - make_interval(days => CAST(:churnDetractorDays AS int)))
    )`,
    params: { churnK: churn.k, churnSingleDays: churn.singlePurchaseDays, churnDetractorDays: churn.detractorDays },
  };
}
