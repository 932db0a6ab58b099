import { HolidayUtil, Solar } from 'lunar-typescript';

import { addDays } from '@app/common';

import { isoDate, isValidSolarDate, lunarToSolar } from './calendar';

// China's official days off. Two layers:
// - the statutory days that the law (全国年节及纪念日放假办法, revised 2024, in force from 2025)
//   fixes for every year, computed here, lunar ones included;
// - each year's 调休 schedule from the State Council (extra days off, make-up working days),
//   which is data: lunar-typescript ships it for the years it knows, an admin enters later ones.

export const HOLIDAY_KINDS = ['holiday', 'workday'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export interface HolidayDay {
  date: string;
  kind: HolidayKind;
  name: string;
}

// The years the lunar calendar (and so the statutory days) can be computed for.
export const FIRST_CALENDAR_YEAR = 1901;
export const LAST_CALENDAR_YEAR = 2099;
// The first year under the 2024 revision; earlier years' official schedules follow older laws.
const CURRENT_LAW_FROM = 2025;

// The law's days off for a year, sorted by date. Two feasts on one day (中秋 on 1 October, as in
// 2028 and 2031) are one day named after both.
export function statutoryHolidays(year: number): HolidayDay[] {
  const springFestival = lunarToSolar(year, 1, 1);
  const days: HolidayDay[] = [
    { date: isoDate(year, 1, 1), kind: 'holiday', name: '元旦' },
    ...[-1, 0, 1, 2].map((d) => ({ date: addDays(springFestival, d), kind: 'holiday' as const, name: '春节' })),
    { date: qingming(year), kind: 'holiday', name: '清明节' },
    { date: isoDate(year, 5, 1), kind: 'holiday', name: '劳动节' },
    { date: isoDate(year, 5, 2), kind: 'holiday', name: '劳动节' },
    { date: lunarToSolar(year, 5, 5), kind: 'holiday', name: '端午节' },
    // 国庆 before 中秋, so a shared day reads 国庆节、中秋节 as the State Council's notices say.
    ...[1, 2, 3].map((d) => ({ date: isoDate(year, 10, d), kind: 'holiday' as const, name: '国庆节' })),
    { date: lunarToSolar(year, 8, 15), kind: 'holiday', name: '中秋节' },
  ];
  const byDate = new Map<string, HolidayDay>();
  for (const day of days) {
    const same = byDate.get(day.date);
    byDate.set(day.date, same ? { ...same, name: `${same.name}、${day.name}` } : day);
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// 清明 is a solar term, not a fixed date (4 or 5 April).
function qingming(year: number): string {
  return Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()['清明'].toYmd();
}

// The year's schedule as lunar-typescript publishes it, or null for a year it does not know. A
// year is known when it lists a day of that year's own holidays (2001's list holds only the
// make-up days of 2002's 元旦).
export function publishedSchedule(year: number): HolidayDay[] | null {
  const days = HolidayUtil.getHolidays(year);
  if (!days.some((d) => d.getTarget().startsWith(`${year}-`))) return null;
  return days.map((d) => ({
    date: d.getDay(),
    kind: d.isWork() ? 'workday' : 'holiday',
    name: d.getName().replace(/^元旦节$/, '元旦'),
  }));
}

// The year's calendar: the official schedule over the law's days (for years under the current
// law; an older year's schedule already is its whole story), or the law's days alone.
export function yearCalendar(year: number, schedule: HolidayDay[] | null): HolidayDay[] {
  if (!schedule) return statutoryHolidays(year);
  const byDate = new Map<string, HolidayDay>();
  if (year >= CURRENT_LAW_FROM) for (const day of statutoryHolidays(year)) byDate.set(day.date, day);
  for (const day of schedule) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

// A working day: a make-up working day, or Monday to Friday unless it is a day off.
export function isWorkingDayIn(calendar: HolidayDay[], day: string): boolean {
  const listed = calendar.find((d) => d.date === day);
  if (listed) return listed.kind === 'workday';
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

export type ScheduleLineProblem =
  'format' | 'date' | 'outside_year' | 'kind' | 'name' | 'duplicate' | 'statutory_workday' | 'empty';

export interface ScheduleLineError {
  line: number;
  problem: ScheduleLineProblem;
  text: string;
}

const PROBLEM_TEXT: Record<ScheduleLineProblem, string> = {
  format: 'expected "YYYY-MM-DD holiday|workday name" (a range as YYYY-MM-DD~YYYY-MM-DD)',
  date: 'is not a real date',
  outside_year: 'is not in the year being entered',
  kind: 'kind must be holiday or workday',
  name: 'name must be at most 20 characters',
  duplicate: 'names a date an earlier line already has',
  statutory_workday: 'makes a statutory holiday a working day',
  empty: 'the schedule has no lines',
};

// As a validation message naming the field (`text`) and the line.
export function describeLineError(error: ScheduleLineError): string {
  return error.line === 0
    ? `text: ${PROBLEM_TEXT[error.problem]}`
    : `text line ${error.line}: ${PROBLEM_TEXT[error.problem]}`;
}

const LINE = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:~|～|\.\.)\s*(\d{4}-\d{2}-\d{2}))?\s+(\S+)(?:\s+(.+))?$/;
const MAX_RANGE_DAYS = 31;
// As the notice says it: 休 (a day off) and 班 (a make-up working day) read as well as the English.
const KIND_WORDS: Record<string, HolidayKind | undefined> = {
  holiday: 'holiday',
  workday: 'workday',
  休: 'holiday',
  班: 'workday',
};

function realDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  return isValidSolarDate(y, m, d);
}

// The State Council's notice typed as lines, one day (or a range of days) each:
//   2027-02-04 holiday 春节        2027-02-04~2027-02-11 holiday 春节        2027-02-14 workday 春节
// Blank lines and lines starting with # are skipped. Every bad line is reported, not just the first.
export function parseScheduleLines(year: number, text: string): { days: HolidayDay[]; errors: ScheduleLineError[] } {
  const days: HolidayDay[] = [];
  const errors: ScheduleLineError[] = [];
  const seen = new Set<string>();
  const statutory = new Set(year >= CURRENT_LAW_FROM ? statutoryHolidays(year).map((d) => d.date) : []);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const fail = (problem: ScheduleLineProblem) => errors.push({ line, problem, text: trimmed.slice(0, 80) });
    const match = LINE.exec(trimmed);
    if (!match) return fail('format');
    const [, from, to = from, kind, name = ''] = match;
    if (!realDate(from) || !realDate(to) || to < from) return fail('date');
    if (!from.startsWith(`${year}-`) || !to.startsWith(`${year}-`)) return fail('outside_year');
    const dayKind = KIND_WORDS[kind];
    if (!dayKind) return fail('kind');
    if ([...name.trim()].length > 20) return fail('name');
    const range: string[] = [];
    for (let day = from; day <= to && range.length <= MAX_RANGE_DAYS; day = addDays(day, 1)) range.push(day);
    if (range.length > MAX_RANGE_DAYS) return fail('format');
    if (range.some((day) => seen.has(day))) return fail('duplicate');
    if (dayKind === 'workday' && range.some((day) => statutory.has(day))) return fail('statutory_workday');
    for (const date of range) {
      seen.add(date);
      days.push({ date, kind: dayKind, name: name.trim() });
    }
  });
  if (days.length === 0 && errors.length === 0) errors.push({ line: 0, problem: 'empty', text: '' });
  return { days: days.sort((a, b) => a.date.localeCompare(b.date)), errors };
}

// A schedule as the lines an admin types, ranges folded back (the form the console edits).
export function scheduleLines(days: HolidayDay[]): string {
  const lines: string[] = [];
  let start: HolidayDay | null = null;
  let end: HolidayDay | null = null;
  const flush = () => {
    if (!start || !end) return;
    const span = start.date === end.date ? start.date : `${start.date}~${end.date}`;
    lines.push(`${span} ${start.kind}${start.name ? ` ${start.name}` : ''}`);
  };
  for (const day of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    if (start && end && day.kind === start.kind && day.name === start.name && addDays(end.date, 1) === day.date) {
      end = day;
      continue;
    }
    flush();
    start = end = day;
  }
  flush();
  return lines.join('\n');
}
