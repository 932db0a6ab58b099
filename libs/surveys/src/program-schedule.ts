import type { ProgramSample } from './entities/survey-program.entity';

// Whether a program's schedule asks clients on an Asia/Shanghai day (YYYY-MM-DD), and in which
// cycle (the year the window opened); null outside the window. An anniversary program asks every
// day (the clients whose first purchase fell on it) in the day's year.
export function cycleOn(
  schedule: { kind: 'window' | 'anniversary'; start: string | null; end: string | null },
  day: string,
): number | null {
  const year = Number(day.slice(0, 4));
  if (schedule.kind === 'anniversary') return year;
  const md = day.slice(5);
  const { start, end } = schedule as { start: string; end: string };
  if (start <= end) return md >= start && md <= end ? year : null;
  // A window over the new year (12-15 to 01-15) belongs to the year it opened.
  if (md >= start) return year;
  if (md <= end) return year - 1;
  return null;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

// Whether an MM-DD exists in some year (02-29 does).
export function isMonthDay(md: string): boolean {
  const [m, d] = md.split('-').map(Number);
  return d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

// The sample as stored: each tier asked and its share; "all" is every tier at 1.
export function sampleOf(
  input: { mode: 'all' | 'tiers'; tiers?: { tier: string; share: number }[] },
  tiers: readonly string[],
): ProgramSample {
  if (input.mode === 'all') return Object.fromEntries(tiers.map((t) => [t, 1]));
  return Object.fromEntries((input.tiers ?? []).map((t) => [t.tier, t.share]));
}
