import type { ChurnSettingsDto } from '@app/settings';

const DAY_MS = 86_400_000;

export type ChurnReasonCode = 'overdue_repurchase' | 'single_purchase_lapsed' | 'recent_detractor';

export interface ChurnReason {
  code: ChurnReasonCode;
  message: string;
}

export interface ChurnRisk {
  atRisk: boolean;
  reasons: ChurnReason[];
  typicalIntervalDays: number | null;
  k: number;
}

// The client's latest detractor survey answer (NPS 0–6 or CSAT 1–2), if any.
export interface RecentDetractor {
  respondedAt: Date;
  nps: number | null;
  csat: number | null;
}

export interface ChurnInput {
  purchaseCount: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  // Calendar days since the last purchase, only for the message.
  recencyDays: number | null;
  now: Date;
  recentDetractor: RecentDetractor | null;
}

// The client's own rhythm: (last - first) / (count - 1) in days; none before a second purchase.
export function typicalIntervalDays(
  purchaseCount: number,
  firstPurchaseAt: Date | null,
  lastPurchaseAt: Date | null,
): number | null {
  if (purchaseCount < 2 || !firstPurchaseAt || !lastPurchaseAt) return null;
  return (lastPurchaseAt.getTime() - firstPurchaseAt.getTime()) / (purchaseCount - 1) / DAY_MS;
}

const oneDecimal = (n: number): number => Math.round(n * 10) / 10;

// The same rule as atRiskSql in @app/customers (lists and the churn report filter with it):
// no purchase for longer than k times the typical interval, or, after a single purchase, for
// longer than singlePurchaseDays. A recent detractor survey answer is a reason on its own.
export function churnRisk(input: ChurnInput, settings: ChurnSettingsDto): ChurnRisk {
  const interval = typicalIntervalDays(input.purchaseCount, input.firstPurchaseAt, input.lastPurchaseAt);
  const reasons: ChurnReason[] = [];
  const sinceLast = input.lastPurchaseAt ? input.now.getTime() - input.lastPurchaseAt.getTime() : null;
  const days = input.recencyDays ?? 0;

  if (interval !== null && sinceLast !== null && sinceLast > interval * DAY_MS * settings.k) {
    reasons.push({
      code: 'overdue_repurchase',
      message: `已 ${days} 天未购买，超过其平均购买间隔（约 ${oneDecimal(interval)} 天）的 ${settings.k} 倍`,
    });
  }
  if (input.purchaseCount === 1 && sinceLast !== null && sinceLast > settings.singlePurchaseDays * DAY_MS) {
    reasons.push({
      code: 'single_purchase_lapsed',
      message: `仅购买过一次，已 ${days} 天未再购买（超过 ${settings.singlePurchaseDays} 天）`,
    });
  }
  const detractor = input.recentDetractor;
  if (detractor && input.now.getTime() - detractor.respondedAt.getTime() <= settings.detractorDays * DAY_MS) {
    const parts = [
      detractor.csat !== null && detractor.csat <= 2 ? `满意度 ${detractor.csat} 分` : null,
      detractor.nps !== null && detractor.nps <= 6 ? `推荐意愿 ${detractor.nps} 分` : null,
    ].filter((p) => p !== null);
    const score = parts.length > 0 ? parts.join('，') : `满意度 ${detractor.csat ?? '-'} 分`;
    reasons.push({
      code: 'recent_detractor',
      message: `近 ${settings.detractorDays} 天内的满意度调查给出低分（${score}）`,
    });
  }

  return {
    atRisk: reasons.length > 0,
    reasons,
    typicalIntervalDays: interval === null ? null : oneDecimal(interval),
    k: settings.k,
  };
}
