import type { ScheduleLineError } from '../../api/holidays';

type T = (key: string, options?: Record<string, unknown>) => string;

// A bad line of the schedule, in Chinese: "第 3 行：日期不在 2027 年内（2026-12-31 holiday 元旦）".
export function describeLine(error: ScheduleLineError, year: number, t: T): string {
  const problem = t(`holidays.problems.${error.problem}`, { year });
  return error.line === 0 ? problem : t('holidays.lineError', { line: error.line, problem, text: error.text });
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function weekday(date: string): string {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}
