import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';

import { ClockModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggingModule } from '@app/logging';
import { QueueModule } from '@app/queue';

import { WorkerFeaturesModule } from './worker-features.module';

@Module({
  imports: [
    ConfigModule,
    ClockModule,
    EventEmitterModule.forRoot(),
    LoggingModule,
    DatabaseModule,
    QueueModule,
    WorkerFeaturesModule,
  ],
})
export class WorkerModule {}
