import type { SurveyDecision } from '../../api/follow-ups';
import { formatDateTime, shanghaiDay } from '../../lib/format';

type T = (key: string, options?: Record<string, unknown>) => string;

// The line shown after completing a follow-up: when the survey goes out, or why it does not.
export function surveyMessage(survey: SurveyDecision | null | undefined, t: T): string {
  if (!survey) return t('complete.surveyNotInvited');
  if (survey.invited) return t('complete.surveyInvited', { time: formatDateTime(survey.sendAt ?? null) });
  return t(`complete.surveyReasons.${survey.reason ?? ''}`, { defaultValue: t('complete.surveyNotInvited') });
}

// Whole days from `today` to `date` (both YYYY-MM-DD, Shanghai calendar days).
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

// 改约 after 无人接听 / 已留言: the quick picks, as Shanghai wall-clock times from `now`.
export const RETRY_OUTCOMES = ['no_answer', 'left_message'] as const;
export const RESCHEDULE_PICKS = ['tomorrowMorning', 'tomorrowAfternoon', 'dayAfter', 'custom'] as const;
export type ReschedulePick = (typeof RESCHEDULE_PICKS)[number];

const PICK_TIMES: Record<Exclude<ReschedulePick, 'custom'>, { days: number; time: string }> = {
  tomorrowMorning: { days: 1, time: '10:00' },
  tomorrowAfternoon: { days: 1, time: '15:00' },
  dayAfter: { days: 2, time: '10:00' },
};

export function rescheduleTime(pick: Exclude<ReschedulePick, 'custom'>, now: Date = new Date()): string {
  const { days, time } = PICK_TIMES[pick];
  const day = new Date(Date.parse(`${shanghaiDay(now)}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${time}:00+08:00`;
}
