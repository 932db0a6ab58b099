import { Module } from '@nestjs/common';

import { CustomersModule } from '@app/customers';

import { MessagesController } from './messages.controller';
import { TimelineController } from './timeline.controller';
import { TimelineRepository } from './timeline.repository';
import { TimelineService } from './timeline.service';

@Module({
  imports: [CustomersModule],
  controllers: [TimelineController, MessagesController],
  providers: [TimelineService, TimelineRepository],
  exports: [TimelineService],
})
export class TimelineModule {}
