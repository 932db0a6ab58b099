import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { IsNull, LessThanOrEqual, Repository } from 'typeorm';

import { AppConfig } from '@app/config';
import { GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QueueOf, QUEUES, sendMessageJobId } from '@app/queue';

import { MessageEntity } from './entities/message.entity';
import { OutboxLeases } from './outbox-leases';
import { OutboxService } from './outbox.service';

const BATCH = 1000;
// A message younger than this is still on its way through the normal path.
const GRACE_MS = 30_000;

// Redis may lose jobs (a restart without persistence, a flush); PostgreSQL does not. Every tick,
// expired leases of workers that are gone go back to pending, and pending messages that are due but
// have no live job are queued again.
@Injectable()
export class OutboxReconciler {
  private readonly logger = new Logger('OutboxReconciler');

  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectQueue(QUEUES.mail) private readonly queue: QueueOf<typeof QUEUES.mail>,
    private readonly outbox: OutboxService,
    private readonly leases: OutboxLeases,
  ) {}

  async reconcile(graceMs = GRACE_MS): Promise<number> {
    await this.leases.reclaimExpired();
    const due = await this.messages.find({
      select: { id: true, scheduledAt: true },
      // Campaign messages are re-queued as batches by the greetings reconciler.
      where: { status: 'pending', campaignId: IsNull(), scheduledAt: LessThanOrEqual(new Date(Date.now() - graceMs)) },
      order: { scheduledAt: 'ASC' },
      take: BATCH,
    });
    const missing: typeof due = [];
    for (const message of due) {
      const job = await this.queue.getJob(sendMessageJobId(message.id));
      if (!job) {
        missing.push(message);
      } else if (await job.isFailed()) {
        await job.remove();
        missing.push(message);
      }
    }
    if (missing.length > 0 && (await this.outbox.enqueue(missing))) {
      this.logger.log(`Re-queued ${missing.length} pending message(s)`);
    }
    return missing.length;
  }
}

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Maintenance');

  constructor(
    private readonly reconciler: OutboxReconciler,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    super();
  }

  // Every worker upserts the same scheduler id, so there is one schedule however many run. Not
  // awaited: a worker that starts while Redis is down still boots and schedules once it is back.
  onApplicationBootstrap(): void {
    this.queue
      .upsertJobScheduler(
        JOB_SCHEDULERS.outboxReconciler,
        { every: this.config.mail.OUTBOX_RECONCILE_MS },
        { name: JOBS.reconcileOutbox, opts: { removeOnComplete: true, removeOnFail: 100 } },
      )
      .catch((error: Error) => this.logger.error(`Could not schedule the outbox reconciler: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.maintenance>): Promise<unknown> {
    switch (job.name) {
      case JOBS.reconcileOutbox:
        return { requeued: await this.reconciler.reconcile() };
      default:
        throw new Error(`Unknown maintenance job ${(job as Job).name}`);
    }
  }
}
