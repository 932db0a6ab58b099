import { customerMetrics, MetricsRow, purchasesPerYear } from './metrics';

const DAY = 86_400_000;
const now = new Date('2026-11-22T02:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
const churn = { k: 2, singlePurchaseDays: 180, detractorDays: 90 };

describe('purchasesPerYear', () => {
  it('counts purchases over the span from the first purchase to now', () => {
    expect(purchasesPerYear(4, daysAgo(365.25 * 2), now)).toBe(2);
    expect(purchasesPerYear(3, daysAgo(365.25 / 2), now)).toBe(6);
  });

  it('takes at least a month, so a purchase made today reads 12 a year, not 365', () => {
    expect(purchasesPerYear(1, now, now)).toBe(12);
    expect(purchasesPerYear(2, daysAgo(3), now)).toBe(24);
  });

  it('is 0 for a client who never bought', () => {
    expect(purchasesPerYear(0, null, now)).toBe(0);
  });
});

describe('customerMetrics', () => {
  it('puts the figures, the RFM segment and the churn risk together', () => {
    const row: MetricsRow = {
      purchaseCount: 3,
      totalFen: 600_000,
      avgOrderFen: 200_000,
      firstPurchaseAt: daysAgo(60),
      lastPurchaseAt: daysAgo(40),
      wecomRemovedAt: null,
      recencyDays: 40,
      asOf: now,
      ranks: { base: 11, recencyBelow: 2, frequencyBelow: 9, monetaryBelow: 10 },
    };
    expect(customerMetrics('c1', row, churn, null)).toEqual({
      customerId: 'c1',
      purchaseCount: 3,
      totalFen: 600_000,
      avgOrderFen: 200_000,
      firstPurchaseAt: daysAgo(60).toISOString(),
      lastPurchaseAt: daysAgo(40).toISOString(),
      recencyDays: 40,
      purchasesPerYear: 18.26,
      rfm: { recency: 2, frequency: 5, monetary: 5 },
      segment: { key: 'important_retention', name: '重要保持客户' },
      churnRisk: {
        atRisk: true,
        reasons: [expect.objectContaining({ code: 'overdue_repurchase' })],
        typicalIntervalDays: 10,
        k: 2,
      },
      asOf: now.toISOString(),
    });
  });

  it('gives a client without purchases no scores, the new segment and no risk', () => {
    const row: MetricsRow = {
      purchaseCount: 0,
      totalFen: 0,
      avgOrderFen: null,
      firstPurchaseAt: null,
      lastPurchaseAt: null,
      wecomRemovedAt: null,
      recencyDays: null,
      asOf: now,
      ranks: null,
    };
    expect(customerMetrics('c2', row, churn, null)).toMatchObject({
      purchasesPerYear: 0,
      rfm: null,
      segment: { key: 'new', name: '新客户' },
      churnRisk: { atRisk: false, reasons: [], typicalIntervalDays: null, k: 2 },
    });
  });
});
