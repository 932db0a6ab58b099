import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';

import { AuditService } from '@app/audit';
import { AppError, Clock, shanghaiDay } from '@app/common';

import { HolidayYearDto } from './dto/holidays.dto';
import { HolidayDayEntity } from './entities/holiday-day.entity';
import {
  describeLineError,
  HolidayDay,
  isWorkingDayIn,
  parseScheduleLines,
  publishedSchedule,
  scheduleLines,
  yearCalendar,
} from './holidays';

// The audit log keys rows by uuid; a year's schedule is keyed by this fixed one per year.
export const holidayYearAuditId = (year: number): string => `00000000-0000-0000-0000-${String(year).padStart(12, '0')}`;

// The month from which next year's schedule is expected (the State Council publishes it in
// November or December) and its absence is worth an admin's attention.
const REMIND_FROM_MONTH = 11;

export interface NextYearScheduleStatus {
  year: number;
  known: boolean;
  // True from 1 November while next year's schedule is unknown.
  reminder: boolean;
}

// The one working-day calendar every rule asks ("is this a working day?"), and the admin's
// yearly schedule entry. Owns `holiday_days`.
@Injectable()
export class HolidaysService {
  constructor(
    @InjectRepository(HolidayDayEntity) private readonly days: Repository<HolidayDayEntity>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async year(year: number): Promise<HolidayYearDto> {
    const entered = await this.entered(year);
    const published = entered.length ? null : publishedSchedule(year);
    const schedule: HolidayDay[] | null = entered.length ? entered.map(toDay) : published;
    const updatedAt = entered.reduce<Date | null>(
      (latest, d) => (!latest || d.updatedAt > latest ? d.updatedAt : latest),
      null,
    );
    return {
      year,
      source: schedule ? 'official' : 'statutory',
      schedule: entered.length ? 'entered' : published ? 'library' : null,
      reference: entered.length ? entered[0].source || null : published ? 'lunar-typescript' : null,
      updatedAt: updatedAt?.toISOString() ?? null,
      lines: schedule ? scheduleLines(schedule) : '',
      items: yearCalendar(year, schedule),
    };
  }

  async isWorkingDay(day: string): Promise<boolean> {
    return isWorkingDayIn((await this.year(Number(day.slice(0, 4)))).items, day);
  }

  // Replaces the year's schedule with the lines given; every bad line is a 400 naming it.
  async replace(year: number, text: string, source: string, actorId: string): Promise<HolidayYearDto> {
    const { days, errors } = parseScheduleLines(year, text);
    if (errors.length) {
      throw new AppError('invalid', errors.map(describeLineError), {
        code: 'HOLIDAY_SCHEDULE_INVALID',
        field: 'text',
        lines: errors,
      });
    }
    const before = await this.year(year);
    await this.days.manager.transaction(async (em) => {
      await em.delete(HolidayDayEntity, { date: Between(`${year}-01-01`, `${year}-12-31`) });
      await em.insert(
        HolidayDayEntity,
        days.map((d) => ({ ...d, source, updatedBy: actorId })),
      );
      await this.audit.record(em, {
        actorId,
        action: 'update',
        entityType: 'holiday_schedule',
        entityId: holidayYearAuditId(year),
        changes: {
          year,
          source,
          lines: { from: before.schedule === 'entered' ? before.lines : null, to: scheduleLines(days) },
        },
      });
    });
    return this.year(year);
  }

  // Forgets what an admin entered for the year: it is again what the library or the law says.
  async clear(year: number, actorId: string): Promise<HolidayYearDto> {
    const before = await this.year(year);
    // Nothing entered: already as asked (DELETE is idempotent), and nothing to audit.
    if (before.schedule !== 'entered') return before;
    await this.days.manager.transaction(async (em) => {
      await em.delete(HolidayDayEntity, { date: Between(`${year}-01-01`, `${year}-12-31`) });
      await this.audit.record(em, {
        actorId,
        action: 'delete',
        entityType: 'holiday_schedule',
        entityId: holidayYearAuditId(year),
        changes: { year, lines: { from: before.lines, to: null } },
      });
    });
    return this.year(year);
  }

  // Whether next year's schedule is known yet, by the app's clock.
  async nextYearStatus(): Promise<NextYearScheduleStatus> {
    const today = shanghaiDay(this.clock.now());
    const year = Number(today.slice(0, 4)) + 1;
    const known = (await this.year(year)).source === 'official';
    return { year, known, reminder: !known && Number(today.slice(5, 7)) >= REMIND_FROM_MONTH };
  }

  private entered(year: number): Promise<HolidayDayEntity[]> {
    return this.days.find({ where: { date: Between(`${year}-01-01`, `${year}-12-31`) }, order: { date: 'ASC' } });
  }
}

const toDay = (d: HolidayDayEntity): HolidayDay => ({ date: d.date, kind: d.kind, name: d.name });
