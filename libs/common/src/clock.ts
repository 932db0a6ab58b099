import { Global, Injectable, Module } from '@nestjs/common';

// "Now", injectable: calendar rules (due today, birthdays, festivals) are tested by moving this
// clock rather than by waiting.
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  // For tests and demos only: pretend it is `at` from now on (time keeps flowing from there).
  travelTo(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000; // Asia/Shanghai has no daylight saving time.

// "Which day is it in Shanghai", once: each TypeScript function below has its SQL twin (`…Sql`,
// over SQL expressions) returning the same value; test/business-rules.e2e-spec.ts checks they agree.

// The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant.
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

// The Asia/Shanghai wall-clock time (HH:MM) of an instant.
export function shanghaiHourMinute(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

// A timestamptz expression's Shanghai date, written exactly as the recompute indexes declare it
// (RatingsRecomputeIndexes), so groupings by day read them in order.
export const shanghaiDaySql = (at: string): string => `(${at} AT TIME ZONE 'Asia/Shanghai')::date`;

// The instant of hh:mm Asia/Shanghai on a calendar date.
export function shanghaiTime(day: string, hour: number, minute = 0): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
}

// The instant a Shanghai date (a date expression) begins: shanghaiTime(day, 0).
export const shanghaiDayStartSql = (day: string): string => `(${day}::timestamp AT TIME ZONE 'Asia/Shanghai')`;

// Whole Shanghai calendar days from one instant to a later one (0 when `to` is not later):
// yesterday 23:59 to today 00:01 is one day.
export function shanghaiDaysBetween(from: Date, to: Date): number {
  return Math.max(0, (Date.parse(shanghaiDay(to)) - Date.parse(shanghaiDay(from))) / 86_400_000);
}

export const shanghaiDaysBetweenSql = (from: string, to: string): string =>
  `GREATEST(0, ${shanghaiDaySql(to)} - ${shanghaiDaySql(from)})`;

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
