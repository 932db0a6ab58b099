import { Processor } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';

import { isDatabaseUnavailable } from '@app/common';
import { AppConfig } from '@app/config';
import { DATABASE_WAIT_MS, GracefulWorkerHost, JobOf, QUEUES, waitThenRetry } from '@app/queue';

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

  async process(job: JobOf<typeof QUEUES.mail>, token?: string): Promise<string> {
    let sent: Awaited<ReturnType<MailSenderService['sendPending']>>;
    try {
      sent = await this.sender.sendPending(job.data.messageId);
    } catch (error) {
      // PostgreSQL away: the job waits for it, its attempts unspent (the message was not claimed).
      if (isDatabaseUnavailable(error)) return waitThenRetry(job, DATABASE_WAIT_MS, token);
      throw error;
    }
    const { outcome, reason } = sent;
    // The channel's provider is unreachable: the job waits a probe interval, its attempts unspent.
    if (outcome === 'paused') return waitThenRetry(job, this.sender.pauseMs, token);
    // Throwing hands the job back to BullMQ for a retry with exponential backoff.
    if (outcome === 'retry') throw new RetryableSendError(reason ?? 'temporary failure');
    return outcome;
  }
}
