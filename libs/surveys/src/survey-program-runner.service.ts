import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Clock, shanghaiDay } from '@app/common';
import { MessageEntity, OutboxService } from '@app/mail';
import { SettingsService } from '@app/settings';

import { SurveyProgramEntity } from './entities/survey-program.entity';
import { cycleOn, isLeapYear } from './program-schedule';
import { recordSurveyMessage, REMINDER_KEY_PREFIX } from './survey-dispatcher.service';
import { SurveyProgramsRepository } from './survey-programs.repository';

const DAY_MS = 86_400_000;
const REMINDER_BATCH = 500;

// Worker side of relationship programs, every minute: once a day per active program, the day's
// sample is invited (its invitations then go out through the survey dispatcher, by the same channel
// and consent rules as a contact's survey); and the non-responders whose invitation is N days old
// get their one reminder through the outbox.
@Injectable()
export class SurveyProgramRunner {
  private readonly logger = new Logger('SurveyPrograms');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SurveyProgramsRepository,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async runDue(): Promise<{ invited: number; reminded: number }> {
    const now = this.clock.now();
    const day = shanghaiDay(now);
    const active = await this.dataSource.getRepository(SurveyProgramEntity).findBy({ status: 'active' });
    let invited = 0;
    let reminded = 0;
    for (const program of active) {
      if (program.lastRunDay !== day) invited += await this.invite(program, day, now);
      reminded += await this.remind(program, now);
    }
    if (invited + reminded > 0) this.logger.log(`Programs: ${invited} invited, ${reminded} reminded`);
    return { invited, reminded };
  }

  private async invite(program: SurveyProgramEntity, day: string, now: Date): Promise<number> {
    const cycle = cycleOn({ kind: program.scheduleKind, start: program.windowStart, end: program.windowEnd }, day);
    return this.dataSource.transaction(async (em) => {
      // The program row lock: two workers do not invite the same day twice.
      const [locked] = await em
        .getRepository(SurveyProgramEntity)
        .find({ where: { id: program.id, status: 'active' }, lock: { mode: 'pessimistic_write' } });
      if (!locked || locked.lastRunDay === day) return 0;
      let n = 0;
      if (cycle !== null) {
        const anniversary =
          program.scheduleKind === 'anniversary' ? { day: day.slice(5), leapYear: isLeapYear(cycle) } : null;
        n = await this.repository.inviteSample(em, program, cycle, now, anniversary);
      }
      await this.repository.markRun(em, program.id, day);
      return n;
    });
  }

  private async remind(program: SurveyProgramEntity, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { messages, seen } = await this.dataSource.transaction(async (em) => {
        const settings = await this.settings.get(em);
        const due = await this.repository.dueReminders(
          em,
          program.id,
          new Date(now.getTime() - program.reminderAfterDays * DAY_MS),
          now,
          REMINDER_BATCH,
        );
        const recorded: MessageEntity[] = [];
        for (const invitation of due) {
          const message = await recordSurveyMessage(
            this.outbox,
            em,
            `${REMINDER_KEY_PREFIX}${invitation.id}`,
            invitation,
            settings.channels.order,
          );
          // A client no channel reaches is not reminded.
          await this.repository.markReminded(em, invitation.id, 'refusal' in message ? null : message.id, now);
          if (!('refusal' in message)) recorded.push(message);
        }
        return { messages: recorded, seen: due.length };
      });
      if (messages.length > 0) await this.outbox.enqueue(messages);
      total += messages.length;
      if (seen < REMINDER_BATCH) return total;
    }
  }
}
