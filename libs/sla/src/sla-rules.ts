import type { SlaSettingsDto } from '@app/settings';

import type { SlaClock } from './entities/sla-escalation.entity';

// The escalation steps of a breach, each this many hours after the clock ran out: 1 the one
// handling it (the case's butler, the recovery task's owner) at once, 2 their manager, 3 an admin.
export const SLA_LEVELS = [1, 2, 3] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

export function stepAfterHours(sla: SlaSettingsDto, level: SlaLevel): number {
  switch (level) {
    case 1:
      return 0;
    case 2:
      return sla.managerAfterHours;
    case 3:
      return sla.adminAfterHours;
  }
}

export const CLOCK_LABELS: Record<SlaClock, string> = {
  first_response: '首次响应',
  resolution: '解决',
  recovery: '挽回回访',
};

export const LEVEL_LABELS: Record<SlaLevel, string> = {
  1: '超时提醒',
  2: '超时升级·经理',
  3: '超时升级·管理员',
};

// "3 小时" / "2 天 5 小时": how long past due, for the alert.
export function overdueText(dueAt: Date, now: Date): string {
  const hours = Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / 3_600_000));
  if (hours < 1) return '不到 1 小时';
  if (hours < 24) return `${hours} 小时`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest > 0 ? `${days} 天 ${rest} 小时` : `${days} 天`;
}
