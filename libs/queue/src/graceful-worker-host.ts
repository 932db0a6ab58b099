import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';

// How long a job waits before it runs again when PostgreSQL is away.
export const DATABASE_WAIT_MS = 1_000;

// Runs the job again after `ms` without spending one of its attempts (BullMQ's manual delay):
// for waiting out something that is not the job's fault (PostgreSQL away, a provider outage).
export async function waitThenRetry(job: Job, ms: number, token?: string): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

const RESCHEDULE_EVERY_MS = 60_000;

// Nest destroys modules before it runs shutdown hooks, and @nestjs/bullmq only closes workers in
// the last phase, when the mail transport and the database pool may already be gone. Closing the
// worker here, first, lets active jobs finish while everything they use is still open.
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  private connectedBefore = false;
  private reschedule?: NodeJS.Timeout;

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.reschedule);
    await this.worker.close();
  }

  // Redis trouble (a restart, lost keys) surfaces as worker errors: log them instead of letting
  // an unhandled 'error' event bring the process down. PostgreSQL still holds the work.
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    new Logger(this.constructor.name).warn(`Queue worker error: ${error.message}`);
  }

  // A Redis that restarted without its data lost the job schedulers too, the reconcilers among
  // them, and nothing would ever re-queue the pending work PostgreSQL holds. So on every
  // reconnect a processor schedules again what it scheduled at boot (upserts: no duplicates), and
  // also once a minute, for keys lost without a reconnect (FLUSHALL, eviction, a failover).
  @OnWorkerEvent('ready')
  onWorkerReady(): void {
    if (!this.connectedBefore) {
      this.connectedBefore = true;
      this.reschedule = setInterval(() => this.scheduleAgain(), RESCHEDULE_EVERY_MS).unref();
      return;
    }
    this.scheduleAgain();
  }

  private scheduleAgain(): void {
    (this as Partial<OnApplicationBootstrap>).onApplicationBootstrap?.();
  }
}
