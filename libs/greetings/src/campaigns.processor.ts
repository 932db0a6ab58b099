import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { GracefulWorkerHost, JOB_SCHEDULERS, JOBS, PlanCampaignJob, QUEUES, SendBatchJob } from '@app/queue';
import { CampaignRunner } from './campaign-runner.service';

@Processor(QUEUES.campaigns, { concurrency: 4 })
export class CampaignsProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Campaigns');

  constructor(
    private readonly runner: CampaignRunner,
    @InjectQueue(QUEUES.campaigns) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    super();
  }

  // One schedule however many workers run; it also fires right after boot.
  onApplicationBootstrap(): void {
    this.queue
      .upsertJobScheduler(
        JOB_SCHEDULERS.campaignReconciler,
        { every: this.config.mail.OUTBOX_RECONCILE_MS },
        { name: JOBS.reconcileCampaigns, opts: { removeOnComplete: true, removeOnFail: 100 } },
      )
      .catch((error: Error) => this.logger.error(`Could not schedule the campaign reconciler: ${error.message}`));
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.planCampaign:
        return { batches: await this.runner.plan((job.data as PlanCampaignJob).campaignId) };
      case JOBS.sendBatch: {
        const { campaignId, batchNo } = job.data as SendBatchJob;
        const result = await this.runner.sendBatch(campaignId, batchNo);
        // Messages that hit a temporary failure stay pending; retrying the job retries only them.
        if (result.retry > 0) throw new Error(`${result.retry} message(s) of batch ${batchNo} hit a temporary failure`);
        return result;
      }
      case JOBS.reconcileCampaigns:
        return this.runner.reconcile();
      default:
        throw new Error(`Unknown campaigns job ${job.name}`);
    }
  }
}
