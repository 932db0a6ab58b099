import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';

import { AppConfig } from '@app/config';
import { GracefulWorkerHost, JobOf, QUEUES } from '@app/queue';

import { MailSenderService } from './mail-sender.service';

export class RetryableSendError extends Error {}

@Processor(QUEUES.mail)
export class MailProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sender: MailSenderService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.redis.WORKER_CONCURRENCY;
  }

  async process(job: JobOf<typeof QUEUES.mail>): Promise<string> {
    const { outcome, reason } = await this.sender.sendPending(job.data.messageId);
    // Throwing hands the job back to BullMQ for a retry with exponential backoff.
    if (outcome === 'retry') throw new RetryableSendError(reason ?? 'temporary failure');
    return outcome;
  }
}
