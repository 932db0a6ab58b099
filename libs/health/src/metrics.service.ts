import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

import { QUEUES } from '@app/queue';

import { HealthRepository } from './health.repository';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

// Prometheus metrics (prom-client), one registry per app: HTTP request durations by route, the
// PostgreSQL pool, queue depths, the outbox backlog, campaign progress and survey answers. The
// gauges are read when scraped; a figure whose source is away is left out of that scrape.
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly durations: Histogram<'method' | 'route' | 'status'>;
  private readonly requests: Counter<'method' | 'route' | 'status'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: HealthRepository,
    private readonly moduleRef: ModuleRef,
  ) {
    const registers = [this.registry];
    this.durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request durations by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    const pool = (): PgPool | null => (this.dataSource.driver as unknown as { master?: PgPool }).master ?? null;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections of this process by state (waiting: requests waiting for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    const queues = (): [string, Queue][] =>
      Object.values(QUEUES).map((name) => [name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })]);
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const [name, queue] of queues()) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => null);
          if (counts) for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'outbox_messages',
      help: 'Outbound messages waiting, being sent or given up, by status',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        for (const r of await repository.outboxByStatus()) {
          this.set({ status: r.status }, r.n);
        }
      },
    });
    new Gauge({
      name: 'campaign_messages',
      help: 'Messages of the campaigns now sending, by status',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        for (const r of await repository.sendingCampaignsByStatus()) {
          this.set({ status: r.status }, r.n);
        }
      },
    });
    new Gauge({
      name: 'survey_responses_recorded',
      help: 'Survey answers recorded in all (from the report summary)',
      registers,
      async collect() {
        const row = await repository.responsesRecorded();
        if (row) this.set(row.n);
      },
    });
  }

  // Times every request by its route pattern (never the raw URL: tokens and ids stay out).
  observe(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      this.durations.observe(labels, reply.elapsedTime / 1000);
      this.requests.inc(labels);
    });
  }
}
