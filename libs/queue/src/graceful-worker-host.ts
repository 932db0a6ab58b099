import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';

// Nest destroys modules before it runs shutdown hooks, and @nestjs/bullmq only closes workers in
// the last phase, when the mail transport and the database pool may already be gone. Closing the
// worker here, first, lets active jobs finish while everything they use is still open.
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  // Redis trouble (a restart, lost keys) surfaces as worker errors: log them instead of letting
  // an unhandled 'error' event bring the process down. PostgreSQL still holds the work.
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    new Logger(this.constructor.name).warn(`Queue worker error: ${error.message}`);
  }
}
