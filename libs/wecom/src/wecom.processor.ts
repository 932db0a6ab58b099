import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { AppConfig } from '@app/config';
import { GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QUEUES } from '@app/queue';
import { SettingsService } from '@app/settings';

import { WecomSyncService } from './wecom-sync.service';
import { WecomTasksService } from './wecom-tasks.service';

// The WeCom jobs: the send results of open 群发 tasks every WECOM_POLL_MS (and the day's reminders),
// and the contact sync at 02:30 Asia/Shanghai. Nothing runs while WeCom is off in the settings.
@Processor(QUEUES.wecom)
export class WecomProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Wecom');

  constructor(
    private readonly tasks: WecomTasksService,
    private readonly sync: WecomSyncService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.wecom) private readonly queue: Queue,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const opts = { removeOnComplete: true, removeOnFail: 100 };
    Promise.all([
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.wecomTaskPoller,
        { every: this.config.wecom.WECOM_POLL_MS },
        { name: JOBS.pollWecomTasks, opts },
      ),
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.wecomContactSync,
        { pattern: '30 2 * * *', tz: 'Asia/Shanghai' },
        { name: JOBS.syncWecomContacts, opts },
      ),
    ]).catch((error: Error) => this.logger.error(`Could not schedule WeCom jobs: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.wecom>): Promise<unknown> {
    if (!(await this.settings.wecomConnection()).enabled) return { skipped: 'wecom is off' };
    switch (job.name) {
      case JOBS.pollWecomTasks:
        return { ...(await this.tasks.pollOpen()), reminded: await this.tasks.remindUnconfirmed() };
      case JOBS.syncWecomContacts: {
        const report = await this.sync.sync();
        return { ...report, unmatched: report.unmatched.length };
      }
      default:
        throw new Error(`Unknown wecom job ${(job as Job).name}`);
    }
  }
}
