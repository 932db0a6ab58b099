import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { birthdayKeysOn, Festival, festivalsOf } from '@app/calendar';
import { addDays, AuthUser, Clock, shanghaiDay } from '@app/common';

export interface UpcomingBirthday {
  date: string;
  customerId: string;
  customerName: string;
  butlerId: string;
  tier: string;
  calendar: 'solar' | 'lunar';
}

export interface UpcomingCare {
  from: string;
  to: string;
  birthdays: UpcomingBirthday[];
  festivals: Festival[];
}

const MAX_BIRTHDAYS = 200;

// What is coming up for the caller's clients: birthdays (solar, or this year's date of a lunar
// one, by the same rules as the birthday greetings) and festivals, today included.
@Injectable()
export class UpcomingCareService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async upcoming(actor: AuthUser, days: number): Promise<UpcomingCare> {
    const from = shanghaiDay(this.clock.now());
    const to = addDays(from, days - 1);
    const keys: unknown[][] = [];
    for (let i = 0; i < days; i++) {
      const day = addDays(from, i);
      for (const k of birthdayKeysOn(day)) keys.push([day, k.calendar, k.month, k.day, k.leapMonth]);
    }
    const values: unknown[] = keys.flat();
    const tuples = keys
      .map(
        (_, i) =>
          `($${i * 5 + 1}::date, $${i * 5 + 2}, $${i * 5 + 3}::int, $${i * 5 + 4}::int, $${i * 5 + 5}::boolean)`,
      )
      .join(', ');
    const scope = scopeOf(actor)
      .clients('c')
      .at(values.length + 1);
    values.push(...scope.params);
    const rows: {
      date: string;
      id: string;
      name: string;
      butler_id: string;
      tier: string;
      birthday_calendar: 'solar' | 'lunar';
    }[] = await this.dataSource.query(
      `WITH k(day, calendar, month, dom, leap) AS (VALUES ${tuples})
       SELECT * FROM (
         SELECT DISTINCT ON (c.id) to_char(k.day, 'YYYY-MM-DD') AS date, c.id, c.name, c.butler_id, c.tier,
                c.birthday_calendar
           FROM customers c JOIN k ON c.birthday_calendar::text = k.calendar AND c.birthday_month = k.month
                                  AND c.birthday_day = k.dom
                                  AND (k.calendar = 'solar' OR c.birthday_leap_month = k.leap)
          WHERE ${scope.sql}
          ORDER BY c.id, k.day) b
       ORDER BY b.date, b.name LIMIT ${MAX_BIRTHDAYS}`,
      values,
    );
    const years = [...new Set([from.slice(0, 4), to.slice(0, 4)])].map(Number);
    return {
      from,
      to,
      birthdays: rows.map((r) => ({
        date: r.date,
        customerId: r.id,
        customerName: r.name,
        butlerId: r.butler_id,
        tier: r.tier,
        calendar: r.birthday_calendar,
      })),
      festivals: years.flatMap((y) => festivalsOf(y)).filter((f) => f.date >= from && f.date <= to),
    };
  }
}
