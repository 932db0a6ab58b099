import { Module } from '@nestjs/common';

import { ReportsModule } from '@app/reports';

import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';

// Streamed CSV and .xlsx exports of responses, cases, follow-ups and the scorecard.
@Module({
  imports: [ReportsModule],
  controllers: [ExportsController],
  providers: [ExportsRepository, ExportsService],
})
export class ExportsModule {}
