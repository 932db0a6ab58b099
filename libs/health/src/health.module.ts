import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { HolidaysModule } from '@app/calendar';

import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), HolidaysModule],
  controllers: [HealthController, MetricsController],
  providers: [MetricsService, HealthRepository],
  exports: [MetricsService],
})
export class HealthModule {}
