import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AfterSalesModule } from '@app/after-sales';
import { AuditModule } from '@app/audit';
import { FollowUpsModule } from '@app/follow-ups';
import { MailModule } from '@app/mail';
import { SettingsModule } from '@app/settings';

import { SlaEscalationEntity } from './entities/sla-escalation.entity';
import { RootCausesController } from './root-causes.controller';
import { RootCausesService } from './root-causes.service';
import { SlaEscalator } from './sla-escalator.service';
import { SlaProcessor } from './sla.processor';
import { SlaRepository } from './sla.repository';

const entities = TypeOrmModule.forFeature([SlaEscalationEntity]);

// The loop that closes (docs/sla.md): the root-cause report over HTTP.
@Module({
  imports: [entities],
  controllers: [RootCausesController],
  providers: [RootCausesService, SlaRepository],
})
export class SlaModule {}

// The SLA worker: breaches marked and escalated (butler → manager → admin), alerts in the outbox.
@Module({
  imports: [entities, AfterSalesModule, FollowUpsModule, MailModule, SettingsModule, AuditModule],
  providers: [SlaEscalator, SlaRepository, SlaProcessor],
  exports: [SlaEscalator],
})
export class SlaWorkerModule {}
