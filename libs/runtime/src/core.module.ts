import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';

import { ClockModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggingModule } from '@app/logging';
import { QueueModule } from '@app/queue';

// What every process of the system runs on, whichever its role (API, worker, both): validated
// configuration, the Clock, in-process domain events, logging, PostgreSQL and the queues.
@Module({
  imports: [ConfigModule, ClockModule, EventEmitterModule.forRoot(), LoggingModule, DatabaseModule, QueueModule],
  exports: [ConfigModule, ClockModule, EventEmitterModule, LoggingModule, DatabaseModule, QueueModule],
})
export class CoreModule {}
