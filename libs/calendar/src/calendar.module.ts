import { Module } from '@nestjs/common';
import { FestivalsController } from './festivals.controller';

@Module({ controllers: [FestivalsController] })
export class CalendarModule {}
