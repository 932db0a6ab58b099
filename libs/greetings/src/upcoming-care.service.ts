import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { Festival, festivalsOf } from '@app/calendar';
import { addDays, AuthUser, Clock, shanghaiDay } from '@app/common';

import { GreetingsRepository } from './greetings.repository';

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

// What is coming up for the caller's clients: birthdays (solar, or this year's date of a lunar
// one, by the same rules as the birthday greetings) and festivals, today included.
@Injectable()
export class UpcomingCareService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repository: GreetingsRepository,
  ) {}

  async upcoming(actor: AuthUser, days: number): Promise<UpcomingCare> {
    const from = shanghaiDay(this.clock.now());
    const to = addDays(from, days - 1);
    const rows = await this.repository.birthdaysOn(scopeOf(actor), from, days);
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
