import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { AppConfig, durationMs } from '@app/config';
import { LimitsRedis } from '@app/queue';

import { Channel, CHANNELS, ProviderChannel } from './channel-provider';

// A channel whose provider cannot be reached (connection refused, timeouts, reset): since when,
// and the last reason it gave.
export interface ChannelOutage {
  state: 'open';
  since: string;
  reason: string;
}

export type Gate = { pass: true; probe: boolean } | { pass: false; outage: ChannelOutage };

const circuitKey = (queuePrefix: string, channel: string): string => `${queuePrefix}:circuit:${channel}`;
// Reads of the shared state are cached this long per process: lanes ask before every message.
const CACHE_MS = 1_000;

// The open circuits as every process of the deployment sees them (the API reads them for /health
// and campaign progress). Throws when Redis does not answer.
export async function readOutages(redis: Redis, queuePrefix: string): Promise<Partial<Record<Channel, ChannelOutage>>> {
  const values = await redis.mget(...CHANNELS.map((c) => circuitKey(queuePrefix, c)));
  const outages: Partial<Record<Channel, ChannelOutage>> = {};
  CHANNELS.forEach((channel, i) => {
    const value = values[i];
    if (value) outages[channel] = JSON.parse(value) as ChannelOutage;
  });
  return outages;
}

// One circuit per channel, shared by every worker through Redis. Closed: messages go out. Open (an
// outage reported by a send): messages wait, pending with their attempts unchanged, and one message
// every OUTBOX_PROBE_MS goes out as a probe; the first answer from the provider closes it. With
// Redis away each process keeps its own circuit.
@Injectable()
export class ChannelCircuit {
  private readonly logger = new Logger('ChannelCircuit');
  private readonly prefix: string;
  private readonly probeMs: number;
  private readonly maxOutageMs: number;
  // What this process knows: its own view when Redis is away, a cache of Redis otherwise.
  private readonly known = new Map<
    ProviderChannel,
    { outage: ChannelOutage | null; readAt: number; probeAt: number }
  >();

  constructor(
    private readonly redis: LimitsRedis,
    config: AppConfig,
  ) {
    this.prefix = config.redis.QUEUE_PREFIX;
    this.probeMs = config.mail.OUTBOX_PROBE_MS;
    this.maxOutageMs = durationMs(config.mail.OUTBOX_MAX_OUTAGE);
  }

  get probeIntervalMs(): number {
    return this.probeMs;
  }

  // May a message go out on `channel` now? While open, one caller per probe interval may (a probe).
  async gate(channel: ProviderChannel): Promise<Gate> {
    const outage = await this.outage(channel);
    if (!outage) return { pass: true, probe: false };
    if (await this.takeProbe(channel)) return { pass: true, probe: true };
    return { pass: false, outage };
  }

  // Has a message due at `dueAt` waited on this outage longer than OUTBOX_MAX_OUTAGE? Counted from
  // the later of the two: a message recorded late in a long outage gets its full wait too.
  overdue(outage: ChannelOutage, dueAt: Date): boolean {
    return Date.now() - Math.max(Date.parse(outage.since), dueAt.getTime()) > this.maxOutageMs;
  }

  // A send found the provider unreachable: the circuit opens (or stays open since its first report).
  async reportOutage(channel: ProviderChannel, reason: string): Promise<ChannelOutage> {
    const opened: ChannelOutage = { state: 'open', since: new Date().toISOString(), reason: reason.slice(0, 300) };
    let outage = this.known.get(channel)?.outage ?? opened;
    try {
      const redis = await this.redis.connection();
      const key = circuitKey(this.prefix, channel);
      const [[, set], [, current]] = (await redis.multi().set(key, JSON.stringify(opened), 'NX').get(key).exec()) as [
        [Error | null, string | null],
        [Error | null, string | null],
      ];
      if (current) outage = JSON.parse(current) as ChannelOutage;
      if (set === 'OK') this.logger.warn(`${channel} provider unreachable, sending paused: ${reason}`);
    } catch {
      if (!this.known.get(channel)?.outage)
        this.logger.warn(`${channel} provider unreachable, sending paused: ${reason}`);
    }
    const entry = this.known.get(channel);
    this.known.set(channel, { outage, readAt: Date.now(), probeAt: entry?.probeAt ?? Date.now() });
    return outage;
  }

  // The provider answered (accepted or refused a message): the circuit closes.
  async reportReachable(channel: ProviderChannel): Promise<void> {
    const entry = this.known.get(channel);
    if (!entry?.outage) return;
    this.known.set(channel, { outage: null, readAt: Date.now(), probeAt: 0 });
    try {
      const redis = await this.redis.connection();
      const key = circuitKey(this.prefix, channel);
      if ((await redis.del(key, `${key}:probe`)) > 0)
        this.logger.log(`${channel} provider reachable again (unreachable since ${entry.outage.since})`);
    } catch {
      this.logger.log(`${channel} provider reachable again (unreachable since ${entry.outage.since})`);
    }
  }

  private async outage(channel: ProviderChannel): Promise<ChannelOutage | null> {
    const entry = this.known.get(channel);
    if (entry && Date.now() - entry.readAt < CACHE_MS) return entry.outage;
    try {
      const redis = await this.redis.connection();
      const value = await redis.get(circuitKey(this.prefix, channel));
      const outage = value ? (JSON.parse(value) as ChannelOutage) : null;
      this.known.set(channel, { outage, readAt: Date.now(), probeAt: entry?.probeAt ?? 0 });
      return outage;
    } catch {
      // Redis away: this process's own view.
      return entry?.outage ?? null;
    }
  }

  // One probe per interval across the deployment (a key that expires), or per process without Redis.
  private async takeProbe(channel: ProviderChannel): Promise<boolean> {
    try {
      const redis = await this.redis.connection();
      return (await redis.set(`${circuitKey(this.prefix, channel)}:probe`, '1', 'PX', this.probeMs, 'NX')) === 'OK';
    } catch {
      const entry = this.known.get(channel);
      if (!entry || Date.now() - entry.probeAt < this.probeMs) return false;
      entry.probeAt = Date.now();
      return true;
    }
  }
}
