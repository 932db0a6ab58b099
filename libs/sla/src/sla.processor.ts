import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QUEUES } from '@app/queue';

import { SlaEscalator } from './sla-escalator.service';

// How often breaches are looked for: an escalation step goes out within this long of its time.
const ESCALATE_EVERY_MS = 60_000;

// One schedule however many workers run (every worker upserts the same scheduler id); each tick
// reads what is due from PostgreSQL, so a tick Redis lost is made up by the next.
@Processor(QUEUES.sla)
export class SlaProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sla');

  constructor(
    private readonly escalator: SlaEscalator,
    @InjectQueue(QUEUES.sla) private readonly queue: Queue,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.queue
      .upsertJobScheduler(
        JOB_SCHEDULERS.slaEscalation,
        { every: ESCALATE_EVERY_MS },
        { name: JOBS.escalateSla, opts: { removeOnComplete: true, removeOnFail: 100 } },
      )
      .catch((error: Error) => this.logger.error(`Could not schedule SLA escalation: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.sla>): Promise<unknown> {
    switch (job.name) {
      case JOBS.escalateSla:
        return { recorded: await this.escalator.escalate() };
      default:
        throw new Error(`Unknown sla job ${(job as Job).name}`);
    }
  }
}
