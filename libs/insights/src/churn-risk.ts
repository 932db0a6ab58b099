import { shanghaiDay } from '@app/common';
import { ChurnReasonCode, churnReasonCodes } from '@app/customers';
import type { ChurnSettingsDto } from '@app/settings';
import { isLowCsat, isNpsDetractor } from '@app/surveys';

const DAY_MS = 86_400_000;

export type { ChurnReasonCode };

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
  // The client deleted their butler on WeCom (del_follow_user), until they add one again.
  wecomRemovedAt: Date | null;
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

// The rule is @app/customers' (churnReasonCodes, the TypeScript twin of the atRiskSql the lists and
// the churn report filter with); this says each reason in Chinese.
export function churnRisk(input: ChurnInput, settings: ChurnSettingsDto): ChurnRisk {
  const interval = typicalIntervalDays(input.purchaseCount, input.firstPurchaseAt, input.lastPurchaseAt);
  const days = input.recencyDays ?? 0;
  const detractor = input.recentDetractor;
  const codes = churnReasonCodes(
    {
      purchaseCount: input.purchaseCount,
      firstPurchaseAt: input.firstPurchaseAt,
      lastPurchaseAt: input.lastPurchaseAt,
      lastDetractorAt: detractor?.respondedAt ?? null,
      wecomRemovedAt: input.wecomRemovedAt,
    },
    settings,
    input.now,
  );
  const reasons: ChurnReason[] = codes.map((code) => {
    switch (code) {
      case 'overdue_repurchase':
        return {
          code,
          message: `已 ${days} 天未购买，超过其平均购买间隔（约 ${oneDecimal(interval ?? 0)} 天）的 ${settings.k} 倍`,
        };
      case 'single_purchase_lapsed':
        return {
          code,
          message: `仅购买过一次，已 ${days} 天未再购买（超过 ${settings.singlePurchaseDays} 天）`,
        };
      case 'recent_detractor': {
        const parts = [
          detractor && isLowCsat(detractor.csat) ? `满意度 ${detractor.csat} 分` : null,
          detractor && isNpsDetractor(detractor.nps) ? `推荐意愿 ${detractor.nps} 分` : null,
        ].filter((p) => p !== null);
        const score = parts.length > 0 ? parts.join('，') : `满意度 ${detractor?.csat ?? '-'} 分`;
        return { code, message: `近 ${settings.detractorDays} 天内的满意度调查给出低分（${score}）` };
      }
      case 'wecom_removed':
        return { code, message: `客户已在企业微信删除了管家（${shanghaiDay(input.wecomRemovedAt ?? input.now)}）` };
    }
  });

  return {
    atRisk: reasons.length > 0,
    reasons,
    typicalIntervalDays: interval === null ? null : oneDecimal(interval),
    k: settings.k,
  };
}
