// Rating integrity (issue 18, part 5; docs/rating-integrity.md): why a survey answer may not be the
// client's own word about the butler it rates. A flagged answer is held out of the butler's figures
// (CSAT, NPS, SERVQUAL, ranking) until a manager clears it.
export const INTEGRITY_REASON_CODES = ['address_changed', 'early_completion', 'butler_origin'] as const;
export type IntegrityReasonCode = (typeof INTEGRITY_REASON_CODES)[number];

// The address field of the channel an invitation went by.
export const CHANNEL_ADDRESS_FIELD = { email: 'email', sms: 'mobile', wecom: 'wecom' } as const;

// A reason as stored (jsonb, on the invitation when it was sent, on the response when answered).
export type IntegrityReason =
  // The address the invitation went to was set or changed by the rated butler at `changedAt`.
  | { code: 'address_changed'; field: 'email' | 'mobile' | 'wecom'; changedAt: string; daysBeforeContact: number }
  // The surveyed follow-up was completed `hoursEarly` hours before it was due.
  | { code: 'early_completion'; dueAt: string; completedAt: string; hoursEarly: number }
  // Answered from the network address ('ip'), the browser ('ua') or both of a recent sign-in of the butler.
  | { code: 'butler_origin'; match: 'ip' | 'ua' | 'both' };

const FIELD_NAMES = { email: '邮箱', mobile: '手机号', wecom: '企业微信联系人' } as const;
const MATCH_NAMES = { ip: '网络地址', ua: '浏览器', both: '网络地址和浏览器' } as const;

// "2026-12-01 09:30", Shanghai time.
const FORMAT = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const when = (iso: string): string => FORMAT.format(new Date(iso));

// The reason in the words a manager reads.
export function describeReason(reason: IntegrityReason): string {
  switch (reason.code) {
    case 'address_changed':
      return (
        `问卷发送的${FIELD_NAMES[reason.field]}于 ${when(reason.changedAt)} 由被评管家本人修改` +
        (reason.daysBeforeContact > 0 ? `（联系前 ${reason.daysBeforeContact} 天内）` : '（联系之后、发送之前）')
      );
    case 'early_completion':
      return `回访应于 ${when(reason.dueAt)} 进行，却在 ${when(reason.completedAt)} 就已完成（提前 ${reason.hoursEarly} 小时）`;
    case 'butler_origin':
      return `答卷所用的${MATCH_NAMES[reason.match]}与被评管家近期登录时相同`;
  }
}

const HOUR_MS = 3_600_000;

export interface IntegrityFacts {
  occurredAt: Date;
  addressChangedAt: Date | null;
  dueAt: Date | null;
  completedAt: Date | null;
}

// The reasons known when the invitation goes out: the address and the contact. `addressChangeDays`
// 0 turns the address check off.
export function reasonsAtSend(
  facts: IntegrityFacts,
  field: 'email' | 'mobile' | 'wecom',
  rules: { addressChangeDays: number; earlyCompletionHours: number },
): IntegrityReason[] {
  const reasons: IntegrityReason[] = [];
  if (rules.addressChangeDays > 0 && facts.addressChangedAt) {
    const before = facts.occurredAt.getTime() - facts.addressChangedAt.getTime();
    reasons.push({
      code: 'address_changed',
      field,
      changedAt: facts.addressChangedAt.toISOString(),
      daysBeforeContact: before > 0 ? Math.ceil(before / (24 * HOUR_MS)) : 0,
    });
  }
  if (facts.dueAt && facts.completedAt) {
    const early = (facts.dueAt.getTime() - facts.completedAt.getTime()) / HOUR_MS;
    if (early > rules.earlyCompletionHours)
      reasons.push({
        code: 'early_completion',
        dueAt: facts.dueAt.toISOString(),
        completedAt: facts.completedAt.toISOString(),
        hoursEarly: Math.floor(early),
      });
  }
  return reasons;
}
