import { Module } from '@nestjs/common';

import { CommentThemesWorkerModule } from '@app/comment-themes';
import { GreetingsWorkerModule } from '@app/greetings';
import { MailWorkerModule } from '@app/mail';
import { WorkerHeartbeat, WorkerHeartbeatRepository } from '@app/queue';
import { SlaWorkerModule } from '@app/sla';
import { SmsWorkerModule } from '@app/sms';
import { SurveysWorkerModule } from '@app/surveys';
import { WebhooksWorkerModule } from '@app/webhooks';
import { WecomEdgeWorkerModule, WecomWorkerModule } from '@app/wecom';

// Every BullMQ processor of the system. The worker process runs these alone; `npm start` runs
// them inside the API process too.
@Module({
  imports: [
    MailWorkerModule,
    SmsWorkerModule,
    WecomWorkerModule,
    GreetingsWorkerModule,
    SurveysWorkerModule,
    CommentThemesWorkerModule,
    WecomEdgeWorkerModule,
    SlaWorkerModule,
    WebhooksWorkerModule,
  ],
  // Each worker process's heartbeat (read by /health/ready).
  providers: [WorkerHeartbeat, WorkerHeartbeatRepository],
})
export class WorkerFeaturesModule {}
