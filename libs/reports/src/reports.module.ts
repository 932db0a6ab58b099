import { Module } from '@nestjs/common';

import { CustomersModule } from '@app/customers';
import { SettingsModule } from '@app/settings';
import { SurveysModule } from '@app/surveys';

import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [CustomersModule, SettingsModule, SurveysModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
