import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';

import { HolidayDayEntity } from './entities/holiday-day.entity';
import { FestivalsController } from './festivals.controller';
import { HolidaysController } from './holidays.controller';
import { HolidaysService } from './holidays.service';

// The working-day calendar, for the API and the workers alike.
@Module({
  imports: [TypeOrmModule.forFeature([HolidayDayEntity]), AuditModule],
  providers: [HolidaysService],
  exports: [HolidaysService],
})
export class HolidaysModule {}

@Module({ imports: [HolidaysModule], controllers: [FestivalsController, HolidaysController] })
export class CalendarModule {}
