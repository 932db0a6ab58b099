import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { Clock, isDatabaseUnavailable, shanghaiDay } from '@app/common';
import { AppConfig } from '@app/config';
import { DATABASE_WAIT_MS, GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QUEUES, waitThenRetry } from '@app/queue';

import { CampaignRunner } from './campaign-runner.service';
import { DailyCareService } from './daily-care.service';

@Processor(QUEUES.campaigns, { concurrency: 4 })
export class CampaignsProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Campaigns');

  constructor(
    private readonly runner: CampaignRunner,
    private readonly dailyCare: DailyCareService,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.campaigns) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    super();
  }

  // One schedule each however many workers run. The reconciler also fires right after boot; the
  // morning round runs at 09:00 Asia/Shanghai.
  onApplicationBootstrap(): void {
    const opts = { removeOnComplete: true, removeOnFail: 100 };
    Promise.all([
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.campaignReconciler,
        { every: this.config.mail.OUTBOX_RECONCILE_MS },
        { name: JOBS.reconcileCampaigns, opts },
      ),
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.dailyCare,
        { pattern: '0 9 * * *', tz: 'Asia/Shanghai' },
        { name: JOBS.dailyCare, opts },
      ),
    ]).catch((error: Error) => this.logger.error(`Could not schedule campaign jobs: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.campaigns>, token?: string): Promise<unknown> {
    switch (job.name) {
      case JOBS.planCampaign:
        return { batches: await this.runner.plan(job.data.campaignId) };
      case JOBS.sendBatch: {
        const { campaignId, batchNo } = job.data;
        let result: Awaited<ReturnType<CampaignRunner['sendBatch']>>;
        try {
          result = await this.runner.sendBatch(campaignId, batchNo);
        } catch (error) {
          // PostgreSQL away: the batch waits for it, its attempts unspent.
          if (isDatabaseUnavailable(error)) return waitThenRetry(job, DATABASE_WAIT_MS, token);
          throw error;
        }
        // The channel's provider is unreachable: the batch waits a probe interval, its attempts unspent.
        if (result.paused) return waitThenRetry(job, this.runner.pauseMs, token);
        // Messages that hit a temporary failure stay pending; retrying the job retries only them.
        if (result.retry > 0) throw new Error(`${result.retry} message(s) of batch ${batchNo} hit a temporary failure`);
        return result;
      }
      case JOBS.reconcileCampaigns:
        return this.runner.reconcile();
      case JOBS.dailyCare:
        return this.dailyCare.run(shanghaiDay(this.clock.now()));
      default:
        throw new Error(`Unknown campaigns job ${(job as Job).name}`);
    }
  }
}
