import type { SurveyDecision } from '../../api/follow-ups';
import { formatDateTime } from '../../lib/format';

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
