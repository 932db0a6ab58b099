import { hostname } from 'node:os';

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { AppConfig } from '@app/config';

import { QUEUES } from './queue.constants';
import { WorkerHeartbeatRepository } from './worker-heartbeat.repository';

export const HEARTBEAT_EVERY_MS = 10_000;
// A beat lives three ticks: a worker that missed that many is reported gone.
export const HEARTBEAT_TTL_MS = 3 * HEARTBEAT_EVERY_MS;

export interface WorkerBeat {
  id: string;
  at: string;
}

export const heartbeatPrefix = (queuePrefix: string): string => `${queuePrefix}:heartbeat:`;

// Each worker process says every HEARTBEAT_EVERY_MS that it is alive and can reach PostgreSQL and
// Redis: a key in Redis (`<QUEUE_PREFIX>:heartbeat:<host>:<pid>` = the time of its last completed
// tick) that expires when it stops. /health/ready counts them (an orchestrator or an operator can
// read the keys too).
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Heartbeat');
  private readonly id = `${hostname()}:${process.pid}`;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly repository: WorkerHeartbeatRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    try {
      await (await this.queue.client).del(`${heartbeatPrefix(this.config.redis.QUEUE_PREFIX)}${this.id}`);
    } catch {
      // Redis away: the key expires by itself.
    }
  }

  async tick(): Promise<boolean> {
    try {
      await this.repository.ping();
      const client = (await this.queue.client) as unknown as Redis;
      await client.set(
        `${heartbeatPrefix(this.config.redis.QUEUE_PREFIX)}${this.id}`,
        new Date().toISOString(),
        'PX',
        HEARTBEAT_TTL_MS,
      );
      return true;
    } catch (error) {
      this.logger.warn(`Heartbeat skipped: ${(error as Error).message}`);
      return false;
    }
  }
}

// The workers that beat within HEARTBEAT_TTL_MS, newest first.
export async function workerBeats(queue: Queue, queuePrefix: string): Promise<WorkerBeat[]> {
  // BullMQ's connection is an ioredis client (its own type names only the commands it uses).
  const client = (await queue.client) as unknown as Redis;
  const prefix = heartbeatPrefix(queuePrefix);
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0' && keys.length < 1000);
  if (keys.length === 0) return [];
  const values = await client.mget(...keys);
  return keys
    .map((key, i) => ({ id: key.slice(prefix.length), at: values[i] ?? '' }))
    .filter((beat) => beat.at)
    .sort((a, b) => b.at.localeCompare(a.at));
}
