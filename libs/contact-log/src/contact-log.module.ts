import { Module } from '@nestjs/common';

import { AuditModule } from '@app/audit';
import { CustomersModule } from '@app/customers';
import { FollowUpsModule } from '@app/follow-ups';
import { InteractionsModule } from '@app/interactions';
import { SurveysModule } from '@app/surveys';

import { ContactLogController } from './contact-log.controller';
import { ContactLogRepository } from './contact-log.repository';
import { ContactLogService } from './contact-log.service';

// 记一笔: the butler's contact log over HTTP. A library of its own, as it depends on customers,
// interactions, follow-ups, surveys and audit (none of which may depend back on it).
@Module({
  imports: [CustomersModule, InteractionsModule, FollowUpsModule, SurveysModule, AuditModule],
  controllers: [ContactLogController],
  providers: [ContactLogService, ContactLogRepository],
})
export class ContactLogModule {}
