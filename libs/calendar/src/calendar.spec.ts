import { isValidSolarDate, lunarDateProblem, lunarToSolar, solarToLunar } from './calendar';

describe('calendar', () => {
  it('converts lunar dates to the published solar dates', () => {
    expect(lunarToSolar(2027, 8, 15)).toBe('2027-09-15'); // 中秋节 2027
    expect(lunarToSolar(2025, 1, 1)).toBe('2025-01-29'); // 春节 2025
    expect(lunarToSolar(2026, 1, 1)).toBe('2026-02-17'); // 春节 2026
    expect(lunarToSolar(2024, 5, 5)).toBe('2024-06-10'); // 端午节 2024
  });

  it('puts a 30th on the 29th in a 29-day month', () => {
    // The 12th month of lunar 2026 has 29 days.
    expect(lunarDateProblem(2026, 12, 30, false)).toBe('lunar month 12 of 2026 has only 29 days');
    expect(lunarToSolar(2026, 12, 30)).toBe(lunarToSolar(2026, 12, 29));
  });

  it('knows leap months: 2025 has a leap 6th month, 2026 none', () => {
    expect(lunarDateProblem(2025, 6, 1, true)).toBeNull();
    expect(lunarToSolar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(lunarDateProblem(2026, 6, 1, true)).toBe('lunar year 2026 has no leap month 6');
    // Celebrated in the ordinary month when the year has no such leap month.
    expect(lunarToSolar(2026, 6, 1, true)).toBe(lunarToSolar(2026, 6, 1, false));
  });

  it('validates month and day without a year', () => {
    expect(lunarDateProblem(null, 13, 1, false)).toBe('lunar month must be 1-12');
    expect(lunarDateProblem(null, 8, 31, false)).toBe('lunar day must be 1-30');
    expect(lunarDateProblem(null, 8, 30, true)).toBeNull();
    expect(isValidSolarDate(null, 2, 29)).toBe(true);
    expect(isValidSolarDate(2023, 2, 29)).toBe(false);
    expect(isValidSolarDate(2024, 2, 29)).toBe(true);
    expect(isValidSolarDate(2024, 4, 31)).toBe(false);
  });

  it('reads the lunar date of a solar day', () => {
    expect(solarToLunar('2027-09-15')).toEqual({ year: 2027, month: 8, day: 15, leapMonth: false });
    expect(solarToLunar('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leapMonth: true });
  });
});
