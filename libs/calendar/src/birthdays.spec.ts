import { birthdayKeysOn } from './birthdays';
import { lunarToSolar } from './calendar';

const has = (day: string, key: { calendar: 'solar' | 'lunar'; month: number; day: number; leapMonth?: boolean }) =>
  birthdayKeysOn(day).some(
    (k) =>
      k.calendar === key.calendar &&
      k.month === key.month &&
      k.day === key.day &&
      k.leapMonth === (key.leapMonth ?? false),
  );

describe('birthdays', () => {
  it('celebrates a lunar birthday on this year solar date of that lunar month/day', () => {
    // Lunar 8/15 is 2027-09-15.
    expect(has('2027-09-15', { calendar: 'lunar', month: 8, day: 15 })).toBe(true);
    expect(has('2027-09-14', { calendar: 'lunar', month: 8, day: 15 })).toBe(false);
    expect(has('2027-09-15', { calendar: 'solar', month: 9, day: 15 })).toBe(true);
  });

  it('puts solar 29 February on 28 February in common years only', () => {
    expect(has('2027-02-28', { calendar: 'solar', month: 2, day: 29 })).toBe(true);
    expect(has('2028-02-28', { calendar: 'solar', month: 2, day: 29 })).toBe(false);
    expect(has('2028-02-29', { calendar: 'solar', month: 2, day: 29 })).toBe(true);
  });

  it('puts a lunar 30th on the 29th of a 29-day month', () => {
    // The 12th lunar month of 2026 has 29 days.
    const last = lunarToSolar(2026, 12, 29);
    expect(has(last, { calendar: 'lunar', month: 12, day: 30 })).toBe(true);
    expect(has(last, { calendar: 'lunar', month: 12, day: 29 })).toBe(true);
  });

  it('celebrates a leap-month birthday in the leap month, or in the ordinary month when the year has none', () => {
    // 2025 has a leap 6th month: leap 6/1 is 2025-07-25, ordinary 6/1 is 2025-06-25.
    expect(has('2025-07-25', { calendar: 'lunar', month: 6, day: 1, leapMonth: true })).toBe(true);
    expect(has('2025-06-25', { calendar: 'lunar', month: 6, day: 1, leapMonth: true })).toBe(false);
    // 2026 has no leap 6th month: the leap-month birthday falls on the ordinary 6/1.
    expect(has(lunarToSolar(2026, 6, 1), { calendar: 'lunar', month: 6, day: 1, leapMonth: true })).toBe(true);
  });
});
