import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';

import { AppConfig } from '@app/config';

import { redisOptionsFromUrl } from './redis-options';

// The Redis connection behind the request limits (per IP on login and the survey page, per
// account on login): counted once for every API process, so N processes allow the limit once, not
// N times. It fails fast and the limits fail open: with Redis away a limit is skipped, never the
// request (the API keeps working from PostgreSQL). The outbox keeps its small shared state (a
// channel's circuit, which workers are alive) on the same connection, for the same reasons.
@Injectable()
export class LimitsRedis implements OnModuleDestroy {
  private readonly logger = new Logger('Limits');
  readonly client: Redis;
  // Keys live under the deployment's prefix, beside its queues.
  readonly namespace: string;
  private warnedAt = 0;

  constructor(config: AppConfig) {
    this.namespace = `${config.redis.QUEUE_PREFIX}:limit:`;
    this.client = new Redis({
      ...redisOptionsFromUrl(config.redis.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
    });
    this.client.on('error', (error: Error) => this.warn(error));
  }

  // Failures counted against a key within a window (0 when Redis does not answer).
  async count(key: string): Promise<number> {
    try {
      await this.connected();
      return Number((await this.client.get(this.namespace + key)) ?? 0);
    } catch (error) {
      this.warn(error as Error);
      return 0;
    }
  }

  // One more failure (or `by` more); the window starts with the first.
  async add(key: string, windowMs: number, by = 1): Promise<void> {
    try {
      await this.connected();
      await this.client
        .multi()
        .incrby(this.namespace + key, by)
        .pexpire(this.namespace + key, windowMs, 'NX')
        .exec();
    } catch (error) {
      this.warn(error as Error);
    }
  }

  async reset(key: string): Promise<void> {
    try {
      await this.connected();
      await this.client.del(this.namespace + key);
    } catch (error) {
      this.warn(error as Error);
    }
  }

  // The connection, connected; commands on it fail at once while Redis is away.
  async connection(): Promise<Redis> {
    await this.connected();
    return this.client;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
    else this.client.disconnect();
  }

  private async connected(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
  }

  // Once a minute at most: during an outage every request would say it again.
  private warn(error: Error): void {
    if (Date.now() - this.warnedAt < 60_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`Request limits skipped, Redis unavailable: ${error.message}`);
  }
}
