import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CustomersModule } from '@app/customers';
import { InteractionsModule } from '@app/interactions';
import { SettingsModule } from '@app/settings';
import { SurveysModule } from '@app/surveys';

import { FollowUpsCustomerChanges } from './customer-changes.listener';
import { FollowUpEntity } from './entities/follow-up.entity';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsRepository } from './follow-ups.repository';
import { FollowUpsService } from './follow-ups.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([FollowUpEntity]),
    CustomersModule,
    InteractionsModule,
    SettingsModule,
    SurveysModule,
  ],
  controllers: [FollowUpsController],
  providers: [FollowUpsService, FollowUpsRepository, FollowUpsCustomerChanges],
  exports: [FollowUpsService],
})
export class FollowUpsModule {}
