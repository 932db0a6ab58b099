import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QUEUES } from '@app/queue';

import { CommentThemesService } from './comment-themes.service';

// The nightly sweep: tags every comment its own tagging missed, at 03:45 Asia/Shanghai.
@Processor(QUEUES.comments)
export class CommentThemesProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('CommentThemes');

  constructor(
    private readonly themes: CommentThemesService,
    @InjectQueue(QUEUES.comments) private readonly queue: Queue,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.queue
      .upsertJobScheduler(
        JOB_SCHEDULERS.commentTagging,
        { pattern: '45 3 * * *', tz: 'Asia/Shanghai' },
        { name: JOBS.tagComments, opts: { removeOnComplete: true, removeOnFail: 100 } },
      )
      .catch((error: Error) => this.logger.error(`Could not schedule comment tagging: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.comments>): Promise<unknown> {
    switch (job.name) {
      case JOBS.tagComments:
        return { tagged: await this.themes.sweep() };
      default:
        throw new Error(`Unknown comments job ${(job as Job).name}`);
    }
  }
}
