import { Festival, festivalName, festivalsOf } from '@app/calendar';
import { addDays } from '@app/common';

// 元旦 and 春节 greetings go out in late December, before the festival of the coming year;
// 春节 falls on 20 February at the latest, so 60 days covers every early greeting.
const NEXT_YEAR_LOOKAHEAD_DAYS = 60;

// The festival a greeting sent on `sendDay` (YYYY-MM-DD, Asia/Shanghai) greets: that festival in
// the send day's year, or next year's when it is at most 60 days off. Null for birthday and custom.
export function greetedFestival(occasion: string, sendDay: string): Festival | null {
  // Rendering asks once per message: spare custom greetings the lunar arithmetic.
  if (!festivalName(occasion)) return null;
  const year = Number(sendDay.slice(0, 4));
  const thisYear = festivalsOf(year).find((f) => f.key === occasion)!;
  if (sendDay <= thisYear.date) return thisYear;
  const nextYear = festivalsOf(year + 1).find((f) => f.key === occasion)!;
  return nextYear.date <= addDays(sendDay, NEXT_YEAR_LOOKAHEAD_DAYS) ? nextYear : thisYear;
}

// The festival that has already passed by `sendDay`: a greeting for it would arrive late.
export function passedFestival(occasion: string, sendDay: string): Festival | null {
  const festival = greetedFestival(occasion, sendDay);
  return festival && festival.date < sendDay ? festival : null;
}
