import { ChurnInput, churnRisk, typicalIntervalDays } from './churn-risk';

const DAY = 86_400_000;
const now = new Date('2026-11-22T02:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
const settings = { k: 2, singlePurchaseDays: 180, detractorDays: 90 };

function input(overrides: Partial<ChurnInput>): ChurnInput {
  return {
    purchaseCount: 0,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
    wecomRemovedAt: null,
    recencyDays: null,
    now,
    recentDetractor: null,
    ...overrides,
  };
}

describe('typicalIntervalDays', () => {
  it('spreads the span between first and last purchase over the gaps', () => {
    expect(typicalIntervalDays(3, daysAgo(60), daysAgo(40))).toBe(10);
    expect(typicalIntervalDays(1, daysAgo(60), daysAgo(60))).toBeNull();
    expect(typicalIntervalDays(0, null, null)).toBeNull();
  });
});

describe('churnRisk', () => {
  const regular = (recency: number) =>
    input({
      purchaseCount: 3,
      firstPurchaseAt: daysAgo(recency + 20),
      lastPurchaseAt: daysAgo(recency),
      recencyDays: recency,
    });

  it('flags a client silent for more than k times their own interval, with the numbers in the reason', () => {
    const risk = churnRisk(regular(21), settings);
    expect(risk).toEqual({
      atRisk: true,
      reasons: [{ code: 'overdue_repurchase', message: '已 21 天未购买，超过其平均购买间隔（约 10 天）的 2 倍' }],
      typicalIntervalDays: 10,
      k: 2,
    });
  });

  it('does not flag a client still within k intervals, and a larger k clears a flagged one', () => {
    expect(churnRisk(regular(19), settings).atRisk).toBe(false);
    expect(churnRisk(regular(40), settings).atRisk).toBe(true);
    expect(churnRisk(regular(40), { ...settings, k: 5 })).toMatchObject({ atRisk: false, reasons: [], k: 5 });
  });

  it('uses the fixed number of days after a single purchase', () => {
    const once = (d: number) =>
      input({ purchaseCount: 1, firstPurchaseAt: daysAgo(d), lastPurchaseAt: daysAgo(d), recencyDays: d });
    expect(churnRisk(once(179), settings)).toMatchObject({ atRisk: false, typicalIntervalDays: null });
    expect(churnRisk(once(181), settings)).toMatchObject({
      atRisk: true,
      reasons: [{ code: 'single_purchase_lapsed', message: '仅购买过一次，已 181 天未再购买（超过 180 天）' }],
    });
  });

  it('never flags a client who has not bought yet on purchases alone', () => {
    expect(churnRisk(input({}), settings)).toEqual({ atRisk: false, reasons: [], typicalIntervalDays: null, k: 2 });
  });

  it('flags a recent detractor survey answer, and ignores an old one', () => {
    const recent = churnRisk(
      { ...regular(1), recentDetractor: { respondedAt: daysAgo(5), nps: 3, csat: null } },
      settings,
    );
    expect(recent.atRisk).toBe(true);
    expect(recent.reasons).toEqual([
      { code: 'recent_detractor', message: '近 90 天内的满意度调查给出低分（推荐意愿 3 分）' },
    ]);
    const csatOnly = churnRisk(
      { ...regular(1), recentDetractor: { respondedAt: daysAgo(5), nps: null, csat: 1 } },
      settings,
    );
    expect(csatOnly.reasons[0].message).toContain('满意度 1 分');
    expect(
      churnRisk({ ...regular(1), recentDetractor: { respondedAt: daysAgo(91), nps: 0, csat: 1 } }, settings).atRisk,
    ).toBe(false);
  });

  it('flags a client who deleted their butler on WeCom, with the day', () => {
    const removed = churnRisk(input({ wecomRemovedAt: new Date('2026-11-21T17:30:00Z') }), settings);
    expect(removed.atRisk).toBe(true);
    expect(removed.reasons).toEqual([{ code: 'wecom_removed', message: '客户已在企业微信删除了管家（2026-11-22）' }]);
  });
});
