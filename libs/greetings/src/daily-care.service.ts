import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { festivalsOf, HolidaysService } from '@app/calendar';
import { addDays, shanghaiDay, shanghaiHourMinute, shanghaiTime } from '@app/common';
import { OutboxService } from '@app/mail';
import { SettingsService } from '@app/settings';

import { GreetingsRepository } from './greetings.repository';

export interface DailyCareResult {
  festivalCampaigns: number;
  birthdayCampaign: boolean;
  // Birthday campaigns of missed earlier rounds created now (see BIRTHDAY_CATCH_UP_DAYS).
  birthdayCatchUps: number;
  // Butlers with a digest for the day (recorded once per butler and day).
  digests: number;
}

// How many days back a round creates the birthday campaign an earlier, missed round did not.
const BIRTHDAY_CATCH_UP_DAYS = 1;

const formatTime = (at: Date): string => `${shanghaiDay(at).slice(5)} ${shanghaiHourMinute(at)}`;

// The morning round (09:00 Asia/Shanghai): festival campaigns N days ahead (one per team, as
// drafts or confirmed), today's birthday campaign (and yesterday's, had that round not run), and
// each butler's follow-up digest on working days. Every piece has a unique key, so running it
// twice, or on several workers, changes nothing.
@Injectable()
export class DailyCareService {
  private readonly logger = new Logger('DailyCare');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly holidays: HolidaysService,
    private readonly repository: GreetingsRepository,
  ) {}

  async run(day: string): Promise<DailyCareResult> {
    const { festivals } = await this.settings.get();
    const result: DailyCareResult = { festivalCampaigns: 0, birthdayCampaign: false, birthdayCatchUps: 0, digests: 0 };
    const year = Number(day.slice(0, 4));
    const upcoming = [...festivalsOf(year), ...festivalsOf(year + 1)].filter(
      (f) => festivals.enabled.includes(f.key) && f.date >= day && f.date <= addDays(day, festivals.daysAhead),
    );
    for (const festival of upcoming) {
      result.festivalCampaigns += await this.repository.insertFestivalCampaigns(
        `${festival.date.slice(0, 4)} ${festival.name}问候`,
        festival.key,
        shanghaiTime(festival.date, festivals.sendHour),
        festivals.autoConfirm ? 'scheduled' : 'draft',
        festival.date.slice(0, 4),
      );
    }
    if (festivals.birthdays) {
      result.birthdayCampaign = await this.birthdayCampaign(day, shanghaiTime(day, festivals.sendHour));
      // A round missed (workers down over the send hour until the next day) would lose that day's
      // birthdays for good. A greeting one day late still reads as remembered; later, as forgotten.
      // Sent at today's send hour (at once if it has passed), never in the night.
      for (let back = 1; back <= BIRTHDAY_CATCH_UP_DAYS; back++) {
        if (await this.birthdayCampaign(addDays(day, -back), shanghaiTime(day, festivals.sendHour)))
          result.birthdayCatchUps++;
      }
    }
    if (festivals.digest && (await this.holidays.isWorkingDay(day))) result.digests = await this.digests(day);
    this.logger.log(`Daily care for ${day}: ${JSON.stringify(result)}`);
    return result;
  }

  // The campaign greeting the clients whose birthday is `day`; false if it already exists.
  private async birthdayCampaign(day: string, sendAt: Date): Promise<boolean> {
    return this.repository.insertBirthdayCampaign(day, sendAt);
  }

  private async digests(day: string): Promise<number> {
    const dayEnd = shanghaiTime(addDays(day, 1), 0);
    const dayStart = shanghaiTime(day, 0);
    const rows = await this.repository.openFollowUpsDueBefore(dayEnd);
    const byButler = new Map<string, typeof rows>();
    for (const r of rows) byButler.set(r.butler_id, [...(byButler.get(r.butler_id) ?? []), r]);
    let queued = 0;
    for (const [butlerId, items] of byButler) {
      const entry = (r: (typeof rows)[number]) => ({
        customerName: r.customer_name,
        title: r.title,
        due: formatTime(r.due_at),
      });
      const overdue = items.filter((r) => r.due_at < dayStart).map(entry);
      const today = items.filter((r) => r.due_at >= dayStart).map(entry);
      await this.outbox.recordAndEnqueue({
        key: `digest:${butlerId}:${day}`,
        purpose: 'digest',
        toAddress: items[0].email,
        template: 'follow-up-digest',
        context: { butlerName: items[0].butler_name, day, total: items.length, overdue, today },
      });
      queued++;
    }
    return queued;
  }
}
