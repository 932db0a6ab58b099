// The working-day calendar (libs/calendar/src/holidays.controller.ts): the law's days for any
// year, the State Council's 调休 schedule an admin enters, and the reminder for next year.
import { ApiError, http } from './client';
import type { Schema } from './types';

export type HolidayItem = Schema<'HolidayItemDto'>;
export type HolidayKind = HolidayItem['kind'];
export type HolidayYear = Schema<'HolidayYearDto'>;
export type NextYearSchedule = Schema<'NextYearScheduleDto'>;

export type ScheduleLineProblem =
  'format' | 'date' | 'outside_year' | 'kind' | 'name' | 'duplicate' | 'statutory_workday' | 'empty';

export interface ScheduleLineError {
  line: number;
  problem: ScheduleLineProblem;
  text: string;
}

export const holidayKeys = {
  year: (year: number) => ['holidays', year] as const,
  nextYear: ['holidays', 'next-year'] as const,
};

export const holidaysApi = {
  year: (year: number) => http.get<HolidayYear>('/holidays', { year }),
  nextYear: () => http.get<NextYearSchedule>('/holidays/next-year'),
  put: (year: number, body: Schema<'PutHolidayScheduleDto'>) => http.put<HolidayYear>(`/holidays/${year}`, body),
  clear: (year: number) => http.delete<HolidayYear>(`/holidays/${year}`),
};

// The schedule's bad lines from a 400 (code HOLIDAY_SCHEDULE_INVALID), or null for another error.
export function scheduleLineErrors(error: unknown): ScheduleLineError[] | null {
  if (!(error instanceof ApiError) || error.details.code !== 'HOLIDAY_SCHEDULE_INVALID') return null;
  return Array.isArray(error.details.lines) ? (error.details.lines as ScheduleLineError[]) : [];
}
