import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { festivalsOf, HolidaysService } from '@app/calendar';
import { addDays, shanghaiDay, shanghaiHourMinute, shanghaiTime } from '@app/common';
import { OutboxService } from '@app/mail';
import { SettingsService } from '@app/settings';

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
  ) {}

  async run(day: string): Promise<DailyCareResult> {
    const { festivals } = await this.settings.get();
    const result: DailyCareResult = { festivalCampaigns: 0, birthdayCampaign: false, birthdayCatchUps: 0, digests: 0 };
    const year = Number(day.slice(0, 4));
    const upcoming = [...festivalsOf(year), ...festivalsOf(year + 1)].filter(
      (f) => festivals.enabled.includes(f.key) && f.date >= day && f.date <= addDays(day, festivals.daysAhead),
    );
    for (const festival of upcoming) {
      const rows: unknown[] = await this.dataSource.query(
        `INSERT INTO greeting_campaigns (name, occasion, template_id, subject, body, send_at, audience, status,
                                        manager_id, auto_key)
         SELECT $1 || ' · ' || m.name, $2, t.id, t.subject, t.body, $3, '{"scope":"team"}'::jsonb, $4::campaign_status,
                m.id,
                'festival:' || $2 || ':' || $5 || ':' || m.id
         FROM users m JOIN message_templates t ON t.occasion = $2 AND t.is_default AND t.active
         WHERE m.role = 'manager' AND m.active
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          `${festival.date.slice(0, 4)} ${festival.name}问候`,
          festival.key,
          shanghaiTime(festival.date, festivals.sendHour),
          festivals.autoConfirm ? 'scheduled' : 'draft',
          festival.date.slice(0, 4),
        ],
      );
      result.festivalCampaigns += rows.length;
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
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO greeting_campaigns (name, occasion, template_id, subject, body, send_at, audience, status, auto_key)
       SELECT $1, 'birthday', t.id, t.subject, t.body, $2, jsonb_build_object('scope', 'all', 'birthdayOn', $3::text),
              'scheduled', 'birthday:' || $3::text
       FROM message_templates t WHERE t.occasion = 'birthday' AND t.is_default AND t.active
       ON CONFLICT DO NOTHING RETURNING id`,
      [`${day} 生日祝福`, sendAt, day],
    );
    return rows.length > 0;
  }

  private async digests(day: string): Promise<number> {
    const dayEnd = shanghaiTime(addDays(day, 1), 0);
    const dayStart = shanghaiTime(day, 0);
    const rows: {
      butler_id: string;
      butler_name: string;
      email: string;
      customer_name: string;
      title: string;
      due_at: Date;
    }[] = await this.dataSource.query(
      `SELECT f.butler_id, b.name AS butler_name, b.email, c.name AS customer_name, f.title, f.due_at
       FROM follow_ups f JOIN users b ON b.id = f.butler_id AND b.active
       JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
       WHERE f.status = 'open' AND f.due_at < $1 ORDER BY f.butler_id, f.due_at`,
      [dayEnd],
    );
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
