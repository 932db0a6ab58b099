import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HolidaysModule } from '@app/calendar';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), HolidaysModule],
  controllers: [HealthController],
})
export class HealthModule {}
