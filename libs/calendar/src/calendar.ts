import { LunarMonth, LunarYear, Solar } from 'lunar-typescript';

// Calendar rules on top of lunar-typescript (6tail's maintained lunar calendar): lunar dates are
// always computed, never looked up in a year table. In its API a negative month is a leap month.

export interface MonthDay {
  month: number;
  day: number;
}

export function isValidSolarDate(year: number | null, month: number, day: number): boolean {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  // Without a year, 29 February is a real birthday.
  const days = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  return day <= days;
}

interface LunarYearFacts {
  leapMonth: number;
  days: Map<number, number>; // month (negative: leap month) -> 29 or 30
}

// lunar-typescript keeps only the last year it computed; a CSV of clients born in many years
// would recompute a year for almost every row, so each year's facts are kept here.
const yearFacts = new Map<number, LunarYearFacts>();

function factsOf(year: number): LunarYearFacts {
  let facts = yearFacts.get(year);
  if (!facts) {
    const days = new Map<number, number>();
    for (const month of LunarYear.fromYear(year).getMonthsInYear()) days.set(month.getMonth(), month.getDayCount());
    facts = { leapMonth: LunarYear.fromYear(year).getLeapMonth(), days };
    yearFacts.set(year, facts);
  }
  return facts;
}

// A lunar month has 29 or 30 days; which one depends on the year. With a year, the month (and
// the leap month, if asked for) must exist that year with that many days.
export function lunarDateProblem(year: number | null, month: number, day: number, leapMonth: boolean): string | null {
  if (!Number.isInteger(month) || month < 1 || month > 12) return 'lunar month must be 1-12';
  if (!Number.isInteger(day) || day < 1 || day > 30) return 'lunar day must be 1-30';
  if (year === null) return null;
  if (year < 1900 || year > 2100) return 'year must be between 1900 and 2100 for a lunar date';
  const facts = factsOf(year);
  if (leapMonth && facts.leapMonth !== month) {
    return `lunar year ${year} has no leap month ${month}`;
  }
  const days = facts.days.get(leapMonth ? -month : month) ?? 30;
  return day <= days ? null : `lunar month ${month} of ${year} has only ${days} days`;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// The solar date on which a lunar month/day falls in a given (lunar) year. A 30th in a 29-day
// month falls on the 29th. A birthday in a leap month is celebrated in that leap month when the
// year has it, otherwise in the ordinary month of the same number (the common custom).
export function lunarToSolar(year: number, month: number, day: number, leapMonth = false): string {
  const useLeap = leapMonth && LunarYear.fromYear(year).getLeapMonth() === month;
  const lunarMonth = LunarMonth.fromYm(year, useLeap ? -month : month);
  const lastDay = lunarMonth?.getDayCount() ?? 29;
  const solar = Solar.fromJulianDay(lunarMonth!.getFirstJulianDay() + Math.min(day, lastDay) - 1);
  return solar.toYmd();
}

export function solarToLunar(date: string): { year: number; month: number; day: number; leapMonth: boolean } {
  const [y, m, d] = date.split('-').map(Number);
  const lunar = Solar.fromYmd(y, m, d).getLunar();
  const month = lunar.getMonth();
  return { year: lunar.getYear(), month: Math.abs(month), day: lunar.getDay(), leapMonth: month < 0 };
}
