import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { WecomTransfersService } from './wecom-transfers.service';

// Queued transfers go to WeCom within this long of the reassignment.
const RUN_MS = 5_000;
// Waiting transfers are asked about this often; WeCom completes one 24 h after the request.
const CHECK_MS = 10 * 60_000;

// The worker's loop for the hand-over: send what the reassignments queued, read transfer_result.
// Each process runs it; two processes sending the same queued row is prevented by the row's status
// (a sent row is no longer queued) — see docs/limits.md for the small window left.
@Injectable()
export class WecomTransferPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WecomTransfers');
  private timers: NodeJS.Timeout[] = [];
  private running = false;

  constructor(private readonly transfers: WecomTransfersService) {}

  onApplicationBootstrap(): void {
    this.timers = [
      setInterval(() => void this.guard(() => this.transfers.runQueued()), RUN_MS),
      setInterval(() => void this.guard(() => this.transfers.checkWaiting()), CHECK_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearInterval(t);
  }

  private async guard(work: () => Promise<number>): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await work();
    } catch (error) {
      this.logger.warn(`transfer round failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
