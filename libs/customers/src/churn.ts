import type { ChurnSettingsDto } from '@app/settings';

const DAY_MS = 86_400_000;

export type ChurnReasonCode = 'overdue_repurchase' | 'single_purchase_lapsed' | 'recent_detractor';

// What the rule reads of a client: its purchase statistics and its last detractor answer.
export interface ChurnFacts {
  purchaseCount: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  lastDetractorAt: Date | null;
}

// "Drifting away", one reason at a time, as SQL over a customers row (alias) and as TypeScript over
// its facts, side by side: no purchase for longer than k times the client's own typical gap between
// purchases ((last - first) / (count - 1)); with a single purchase, longer than a fixed number of
// days; or a detractor survey answer within detractorDays. "Now" is the app's Clock (`asOf`), never
// PostgreSQL's now(): one clock for the rule, in SQL as in TypeScript.
const REASONS: {
  code: ChurnReasonCode;
  sql: (a: string) => string;
  ts: (f: ChurnFacts, churn: ChurnSettingsDto, asOf: number) => boolean;
}[] = [
  {
    code: 'overdue_repurchase',
    sql: (a) => `(${a}.purchase_count >= 2 AND ${a}.last_purchase_at <
        CAST(:churnAsOf AS timestamptz) - (${a}.last_purchase_at - ${a}.first_purchase_at) / (${a}.purchase_count - 1) * CAST(:churnK AS float8))`,
    ts: (f, churn, asOf) =>
      f.purchaseCount >= 2 &&
      f.firstPurchaseAt !== null &&
      f.lastPurchaseAt !== null &&
      asOf - f.lastPurchaseAt.getTime() >
        ((f.lastPurchaseAt.getTime() - f.firstPurchaseAt.getTime()) / (f.purchaseCount - 1)) * churn.k,
  },
  {
    code: 'single_purchase_lapsed',
    sql: (a) =>
      `(${a}.purchase_count = 1 AND ${a}.last_purchase_at < CAST(:churnAsOf AS timestamptz) - make_interval(days => CAST(:churnSingleDays AS int)))`,
    ts: (f, churn, asOf) =>
      f.purchaseCount === 1 &&
      f.lastPurchaseAt !== null &&
      asOf - f.lastPurchaseAt.getTime() > churn.singlePurchaseDays * DAY_MS,
  },
  {
    code: 'recent_detractor',
    sql: (a) =>
      `(${a}.last_detractor_at > CAST(:churnAsOf AS timestamptz) - make_interval(days => CAST(:churnDetractorDays AS int)))`,
    ts: (f, churn, asOf) =>
      f.lastDetractorAt !== null && asOf - f.lastDetractorAt.getTime() < churn.detractorDays * DAY_MS,
  },
];

// The client is at risk (SQL), so lists can filter on it.
export function atRiskSql(
  alias: string,
  churn: ChurnSettingsDto,
  asOf: Date,
): { sql: string; params: Record<string, unknown> } {
  return {
    sql: `(
      ${REASONS.map((r) => r.sql(alias)).join('\n      OR ')}
    )`,
    params: {
      churnAsOf: asOf.toISOString(),
      churnK: churn.k,
      churnSingleDays: churn.singlePurchaseDays,
      churnDetractorDays: churn.detractorDays,
    },
  };
}

// Why the client is at risk (TypeScript), none if it is not: the same rule as atRiskSql.
export function churnReasonCodes(facts: ChurnFacts, churn: ChurnSettingsDto, asOf: Date): ChurnReasonCode[] {
  return REASONS.filter((r) => r.ts(facts, churn, asOf.getTime())).map((r) => r.code);
}
