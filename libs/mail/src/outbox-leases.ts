import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { AppConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';

import { MailRepository } from './mail.repository';

const ALIVE_EVERY_MS = 5_000;
// Four missed beats: the worker is gone.
const ALIVE_TTL_MS = 4 * ALIVE_EVERY_MS;

// Who holds a claimed message. Each worker process says every few seconds that it is alive (a
// key in Redis, written without PostgreSQL, so a worker waiting out a PostgreSQL outage to mark
// what it sent stays alive). A lease goes back to pending only when it has expired AND its worker
// is gone; a live worker keeps its leases however long PostgreSQL was away. A live worker also
// releases its own expired leases on messages it no longer holds in memory (a claim whose commit
// landed although PostgreSQL's answer was lost).
@Injectable()
export class OutboxLeases implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxLeases');
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private readonly prefix: string;
  // Messages this process has claimed and not yet marked.
  readonly held = new Set<string>();

  constructor(
    private readonly redis: LimitsRedis,
    private readonly repository: MailRepository,
    config: AppConfig,
  ) {
    this.prefix = `${config.redis.QUEUE_PREFIX}:outbox-worker:`;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.beat(), ALIVE_EVERY_MS);
    this.timer.unref();
    void this.beat();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
  }

  // Expired leases of workers that are gone go back to pending; how many. Nothing while Redis does
  // not answer (a worker's liveness cannot be told then).
  async reclaimExpired(): Promise<number> {
    const owners = (await this.repository.expiredLeaseOwners()).filter((o) => o !== this.owner);
    if (owners.length === 0) return 0;
    let alive: (number | null)[];
    try {
      const redis = await this.redis.connection();
      alive = await Promise.all(owners.map((o) => redis.exists(this.prefix + o)));
    } catch {
      return 0;
    }
    const gone = owners.filter((_, i) => alive[i] === 0);
    if (gone.length === 0) return 0;
    const n = await this.repository.releaseExpiredLeases(gone);
    if (n > 0) this.logger.warn(`${n} message(s) claimed by a worker that is gone went back to pending`);
    return n;
  }

  private async beat(): Promise<void> {
    try {
      const redis = await this.redis.connection();
      await redis.set(this.prefix + this.owner, new Date().toISOString(), 'PX', ALIVE_TTL_MS);
    } catch {
      // Redis away: no lease is reclaimed while it is (reclaimExpired asks it).
    }
    try {
      const n = await this.repository.releaseOwnOrphans(this.owner, [...this.held]);
      if (n > 0) this.logger.warn(`${n} message(s) claimed here but not held went back to pending`);
    } catch {
      // PostgreSQL away: next beat.
    }
  }
}
