import { LunarMonth, LunarYear, Solar } from 'lunar-typescript';

export interface BirthdayKey {
  calendar: 'solar' | 'lunar';
  month: number;
  day: number;
  leapMonth: boolean;
}

// Which stored birthdays are celebrated on a given solar day (YYYY-MM-DD, Asia/Shanghai):
// - solar 29 February falls on 28 February in common years;
// - a lunar 30th in a 29-day month falls on its 29th;
// - a birthday in a leap month is celebrated in that leap month when the year has one, and in
//   the ordinary month of the same number otherwise.
export function birthdayKeysOn(day: string): BirthdayKey[] {
  const [y, m, d] = day.split('-').map(Number);
  const keys: BirthdayKey[] = [{ calendar: 'solar', month: m, day: d, leapMonth: false }];
  const isLeapYear = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m === 2 && d === 28 && !isLeapYear) keys.push({ calendar: 'solar', month: 2, day: 29, leapMonth: false });

  const lunar = Solar.fromYmd(y, m, d).getLunar();
  const lunarMonth = Math.abs(lunar.getMonth());
  const inLeapMonth = lunar.getMonth() < 0;
  const lunarDay = lunar.getDay();
  const monthDays = LunarMonth.fromYm(lunar.getYear(), lunar.getMonth())?.getDayCount() ?? 30;
  const days = lunarDay === monthDays && monthDays === 29 ? [29, 30] : [lunarDay];
  const yearHasLeap = LunarYear.fromYear(lunar.getYear()).getLeapMonth() === lunarMonth;
  for (const dd of days) {
    if (inLeapMonth) {
      keys.push({ calendar: 'lunar', month: lunarMonth, day: dd, leapMonth: true });
    } else {
      keys.push({ calendar: 'lunar', month: lunarMonth, day: dd, leapMonth: false });
      if (!yearHasLeap) keys.push({ calendar: 'lunar', month: lunarMonth, day: dd, leapMonth: true });
    }
  }
  return keys;
}
