import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggingModule } from '@app/logging';
import { QueueModule } from '@app/queue';
import { WorkerFeaturesModule } from './worker-features.module';

@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, QueueModule, WorkerFeaturesModule],
})
export class WorkerModule {}
