import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Queue } from 'bullmq';

import { HolidaysService } from '@app/calendar';
import { Public } from '@app/common';
import { AppConfig } from '@app/config';
import { CHANNELS, readOutages } from '@app/mail';
import { LimitsRedis, pingRedis, QUEUES, workerBeats } from '@app/queue';

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @InjectQueue(QUEUES.mail) private readonly queue: Queue,
    private readonly holidays: HolidaysService,
    private readonly config: AppConfig,
    private readonly limits: LimitsRedis,
  ) {}

  // For an orchestrator's liveness probe: the process answers (no dependency is asked).
  @Public()
  @Get('live')
  @ApiOkResponse({
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  // For a readiness probe: 200 while PostgreSQL answers (the API works from it alone); Redis and
  // the workers' heartbeats are reported but do not make the API unready.
  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database(), () => this.redis(false)]);
  }

  // 200 when PostgreSQL and Redis answer, 503 naming the one that does not. The calendar detail
  // says whether next year's 调休 schedule is known; a missing one is a reminder, never a failure.
  // The channels detail says which providers the workers cannot reach, and since when: sending
  // waits for them, the API does not.
  @Public()
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database(),
      () => this.redis(true),
      () => this.calendar(),
      () => this.channels(),
    ]);
  }

  private database() {
    return this.db.pingCheck('database', { timeout: 2000 });
  }

  // With the workers' heartbeats; `fatal`: Redis away makes the check fail (for /health).
  private async redis(fatal: boolean) {
    const redis = this.indicator.check('redis');
    try {
      await pingRedis(this.queue);
      const beats = await workerBeats(this.queue, this.config.redis.QUEUE_PREFIX);
      return redis.up({ workers: beats.length, lastWorkerTick: beats[0]?.at ?? null });
    } catch (error) {
      const message = (error as Error).message;
      // For readiness not fatal: requests keep working; sending waits for Redis.
      return fatal ? redis.down({ message }) : redis.up({ reachable: false, message });
    }
  }

  // Each channel's circuit as the workers left it in Redis: { email: { state: 'open', since, reason } }
  // while its provider is unreachable, { state: 'closed' } otherwise. Never a failure.
  private async channels() {
    const channels = this.indicator.check('channels');
    try {
      const outages = await readOutages(await this.limits.connection(), this.config.redis.QUEUE_PREFIX);
      return channels.up(
        Object.fromEntries(CHANNELS.map((c) => [c, outages[c] ?? { state: 'closed' }])) as Record<string, unknown>,
      );
    } catch {
      // Redis being away is the redis check's to report.
      return channels.up({ state: 'unknown' });
    }
  }

  private async calendar() {
    const calendar = this.indicator.check('calendar');
    try {
      const next = await this.holidays.nextYearStatus();
      return calendar.up({
        nextYear: next.year,
        nextYearSchedule: next.known ? 'official' : 'statutory',
        reminder: next.reminder,
      });
    } catch {
      // PostgreSQL being away is the database check's to report.
      return calendar.up({ nextYearSchedule: 'unknown' });
    }
  }
}
