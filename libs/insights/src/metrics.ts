import type { ChurnSettingsDto } from '@app/settings';

import { churnRisk, RecentDetractor } from './churn-risk';
import type { CustomerMetricsView } from './dto/insights.dto';
import { RfmRanks, rfmScores, rfmSegment } from './rfm';

const DAY_MS = 86_400_000;
// A brand-new client's rate is taken over at least a month, so one purchase today reads 12/yr, not 365.
const MIN_SPAN_DAYS = 365.25 / 12;

// One client's purchase figures as the metrics query returns them (already numbers and dates).
export interface MetricsRow {
  purchaseCount: number;
  totalFen: number;
  avgOrderFen: number | null;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  wecomRemovedAt: Date | null;
  recencyDays: number | null;
  asOf: Date;
  // Null for a client who never bought: they are not part of the base.
  ranks: RfmRanks | null;
}

export function purchasesPerYear(purchaseCount: number, firstPurchaseAt: Date | null, now: Date): number {
  if (purchaseCount === 0 || !firstPurchaseAt) return 0;
  const spanDays = Math.max((now.getTime() - firstPurchaseAt.getTime()) / DAY_MS, MIN_SPAN_DAYS);
  return Math.round(((purchaseCount * 365.25) / spanDays) * 100) / 100;
}

export function customerMetrics(
  customerId: string,
  row: MetricsRow,
  churn: ChurnSettingsDto,
  recentDetractor: RecentDetractor | null,
): CustomerMetricsView {
  const rfm = row.ranks ? rfmScores(row.ranks) : null;
  return {
    customerId,
    purchaseCount: row.purchaseCount,
    totalFen: row.totalFen,
    avgOrderFen: row.avgOrderFen,
    firstPurchaseAt: row.firstPurchaseAt?.toISOString() ?? null,
    lastPurchaseAt: row.lastPurchaseAt?.toISOString() ?? null,
    recencyDays: row.recencyDays,
    purchasesPerYear: purchasesPerYear(row.purchaseCount, row.firstPurchaseAt, row.asOf),
    rfm,
    segment: rfmSegment(rfm),
    churnRisk: churnRisk(
      {
        purchaseCount: row.purchaseCount,
        firstPurchaseAt: row.firstPurchaseAt,
        lastPurchaseAt: row.lastPurchaseAt,
        wecomRemovedAt: row.wecomRemovedAt,
        recencyDays: row.recencyDays,
        now: row.asOf,
        recentDetractor,
      },
      churn,
    ),
    asOf: row.asOf.toISOString(),
  };
}
