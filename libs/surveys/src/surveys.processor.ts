import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

import { GracefulWorkerHost, JOB_SCHEDULERS, JobOf, JOBS, QUEUES } from '@app/queue';

import { StatsRecomputeService } from './stats-recompute.service';
import { SurveyDispatcher } from './survey-dispatcher.service';
import { SurveyProgramRunner } from './survey-program-runner.service';

// How often due invitations are looked for: a survey goes out within this long of its time.
const DISPATCH_EVERY_MS = 30_000;
// How often relationship programs are looked at (a day's sample once a day, reminders when due).
const PROGRAMS_EVERY_MS = 60_000;

@Processor(QUEUES.surveys)
export class SurveysProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Surveys');

  constructor(
    private readonly dispatcher: SurveyDispatcher,
    private readonly recompute: StatsRecomputeService,
    private readonly programs: SurveyProgramRunner,
    @InjectQueue(QUEUES.surveys) private readonly queue: Queue,
  ) {
    super();
  }

  // One schedule each however many workers run; the summary check runs at 03:30 Asia/Shanghai.
  onApplicationBootstrap(): void {
    const opts = { removeOnComplete: true, removeOnFail: 100 };
    Promise.all([
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.surveyDispatcher,
        { every: DISPATCH_EVERY_MS },
        { name: JOBS.dispatchSurveys, opts },
      ),
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.surveyPrograms,
        { every: PROGRAMS_EVERY_MS },
        { name: JOBS.runSurveyPrograms, opts },
      ),
      this.queue.upsertJobScheduler(
        JOB_SCHEDULERS.reportStatsRecompute,
        { pattern: '30 3 * * *', tz: 'Asia/Shanghai' },
        { name: JOBS.recomputeReportStats, opts },
      ),
    ]).catch((error: Error) => this.logger.error(`Could not schedule survey jobs: ${error.message}`));
  }

  async process(job: JobOf<typeof QUEUES.surveys>): Promise<unknown> {
    switch (job.name) {
      case JOBS.dispatchSurveys:
        return { queued: await this.dispatcher.dispatchDue() };
      case JOBS.runSurveyPrograms:
        return this.programs.runDue();
      case JOBS.recomputeReportStats:
        return this.recompute.recompute();
      default:
        throw new Error(`Unknown surveys job ${(job as Job).name}`);
    }
  }
}
