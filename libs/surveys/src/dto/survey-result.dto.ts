import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

import { PageQueryDto } from '@app/common';

import type { ServqualDimension } from '../entities/survey-response.entity';

export class ListSurveyResultsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  butlerId?: string;

  @IsOptional()
  @IsUUID()
  customerId?: string;

  // Only CSAT 1–2 or NPS 0–6 answers.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  detractor?: boolean;
}

export interface SurveyResultDto {
  id: string;
  customerId: string;
  customerName: string;
  butlerId: string;
  butlerName: string;
  csat: number;
  nps: number | null;
  servqual: Record<ServqualDimension, number | null>;
  comment: string;
  respondedAt: string;
  // What was surveyed: a completed follow-up or a resolved case.
  source: 'follow_up' | 'case';
}
