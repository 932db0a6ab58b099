import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';

import { PageQueryDto } from '@app/common';
import type { ChurnReason } from '@app/insights';

import type { DriverFigure, SurveyFigures } from '../scorecard';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// A period of Asia/Shanghai days, both ends included. Defaults: the last 30 days.
export class PeriodQueryDto {
  @ApiProperty({ required: false, example: '2026-10-01' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiProperty({ required: false, example: '2026-12-31' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

export const INTERVALS = ['week', 'month'] as const;

export class TrendQueryDto extends PeriodQueryDto {
  @ApiProperty({ enum: INTERVALS, required: false, default: 'week' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: (typeof INTERVALS)[number];
}

export class ChurnReportQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  butlerId?: string;
}

export interface OperationsFigures {
  // Follow-ups due in the period (and already due) done by the end of their due day, in %.
  followUpsOnTimePercent: number | null;
  medianFirstResponseHours: number | null;
  medianResolutionHours: number | null;
}

export type ButlerReportItem = { butlerId: string; butlerName: string } & SurveyFigures &
  OperationsFigures & { overdueFollowUps: number };

export interface ButlerReport {
  from: string;
  to: string;
  // How rankScore is computed, in words, for the console's tooltip.
  rankMethod: 'wilson';
  rankDescription: string;
  items: ButlerReportItem[];
}

export interface TrendReport {
  butlerId: string;
  butlerName: string;
  interval: 'week' | 'month';
  from: string;
  to: string;
  items: ({ period: string } & SurveyFigures & OperationsFigures)[];
}

export interface DriversReport {
  from: string;
  to: string;
  method: 'pearson';
  responses: number;
  topDriver: string | null;
  items: (DriverFigure & { name: string; description: string })[];
}

export interface ChurnReportItem {
  customerId: string;
  customerName: string;
  tier: string;
  butlerId: string;
  butlerName: string;
  lastPurchaseAt: string | null;
  lastDetractorAt: string | null;
  reasons: ChurnReason[];
}
