import { SqlFragment, sqlFragment } from '@app/common';
import type { ChurnSettingsDto } from '@app/settings';

const DAY_MS = 86_400_000;

// The rule's bound parameters, as placeholders.
interface ChurnParams {
  asOf: string;
  k: string;
  singleDays: string;
  detractorDays: string;
}

export type ChurnReasonCode = 'overdue_repurchase' | 'single_purchase_lapsed' | 'recent_detractor' | 'wecom_removed';

// What the rule reads of a client: its purchase statistics and its last detractor answer.
export interface ChurnFacts {
  purchaseCount: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  lastDetractorAt: Date | null;
  // When the client deleted their butler on WeCom (del_follow_user); cleared when they add one again.
  wecomRemovedAt: Date | null;
}

// "Drifting away", one reason at a time, as SQL over a customers row (alias) and as TypeScript over
// its facts, side by side: no purchase for longer than k times the client's own typical gap between
// purchases ((last - first) / (count - 1)); with a single purchase, longer than a fixed number of
// days; a detractor survey answer within detractorDays; or the client deleted their butler on WeCom
// (until they add one again). "Now" is the app's Clock (`asOf`), never
// PostgreSQL's now(): one clock for the rule, in SQL as in TypeScript.
const REASONS: {
  code: ChurnReasonCode;
  sql: (a: string, p: ChurnParams) => string;
  ts: (f: ChurnFacts, churn: ChurnSettingsDto, asOf: number) => boolean;
}[] = [
  {
    code: 'overdue_repurchase',
    sql: (a, p) => `(${a}.purchase_count >= 2 AND ${a}.last_purchase_at < ${p.asOf}::timestamptz
        - (${a}.last_purchase_at - ${a}.first_purchase_at) / (${a}.purchase_count - 1) * ${p.k}::float8)`,
    ts: (f, churn, asOf) =>
      f.purchaseCount >= 2 &&
      f.firstPurchaseAt !== null &&
      f.lastPurchaseAt !== null &&
      asOf - f.lastPurchaseAt.getTime() >
        ((f.lastPurchaseAt.getTime() - f.firstPurchaseAt.getTime()) / (f.purchaseCount - 1)) * churn.k,
  },
  {
    code: 'single_purchase_lapsed',
    sql: (a, p) =>
      `(${a}.purchase_count = 1
        AND ${a}.last_purchase_at < ${p.asOf}::timestamptz - make_interval(days => ${p.singleDays}::int))`,
    ts: (f, churn, asOf) =>
      f.purchaseCount === 1 &&
      f.lastPurchaseAt !== null &&
      asOf - f.lastPurchaseAt.getTime() > churn.singlePurchaseDays * DAY_MS,
  },
  {
    code: 'recent_detractor',
    sql: (a, p) => `(${a}.last_detractor_at > ${p.asOf}::timestamptz - make_interval(days => ${p.detractorDays}::int))`,
    ts: (f, churn, asOf) =>
      f.lastDetractorAt !== null && asOf - f.lastDetractorAt.getTime() < churn.detractorDays * DAY_MS,
  },
  {
    code: 'wecom_removed',
    sql: (a, p) => `(${a}.wecom_removed_at IS NOT NULL AND ${a}.wecom_removed_at <= ${p.asOf}::timestamptz)`,
    ts: (f, _churn, asOf) => f.wecomRemovedAt !== null && f.wecomRemovedAt.getTime() <= asOf,
  },
];

// The client is at risk (SQL), so lists can filter on it: a fragment, bound positionally or named.
export function atRiskSql(alias: string, churn: ChurnSettingsDto, asOf: Date): SqlFragment {
  return sqlFragment((bind) => {
    const p: ChurnParams = {
      asOf: bind(asOf.toISOString()),
      k: bind(churn.k),
      singleDays: bind(churn.singlePurchaseDays),
      detractorDays: bind(churn.detractorDays),
    };
    return `(
      ${REASONS.map((r) => r.sql(alias, p)).join('\n      OR ')}
    )`;
  });
}

// Why the client is at risk (TypeScript), none if it is not: the same rule as atRiskSql.
export function churnReasonCodes(facts: ChurnFacts, churn: ChurnSettingsDto, asOf: Date): ChurnReasonCode[] {
  return REASONS.filter((r) => r.ts(facts, churn, asOf.getTime())).map((r) => r.code);
}
