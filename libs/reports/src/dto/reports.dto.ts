import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';

import { PageQueryDto } from '@app/common';
import { TIERS } from '@app/customers';
import { ChurnReasonDto, type ChurnReason } from '@app/insights';
import { CHANNELS, type Channel } from '@app/mail';
import {
  SATISFACTION_GROUPS,
  SATISFACTION_KINDS,
  SERVQUAL_DIMENSIONS,
  ServqualScoresDto,
  type RecomputeResult,
  type SatisfactionGroup,
  type SatisfactionKind,
  type ServqualDimension,
} from '@app/surveys';

import type { SatisfactionFigures } from '../satisfaction';
import type { ChannelFigures, DriverFigure, SurveyFigures } from '../scorecard';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// A period of Asia/Shanghai days, both ends included. Defaults: the last 30 days.
export class PeriodQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-10-01' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-12-31' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

export const INTERVALS = ['week', 'month'] as const;

export class TrendQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: INTERVALS, default: 'week' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: (typeof INTERVALS)[number];
}

export class ChurnReportQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
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
  // Each team's butlers added up (the scorecard's roll-up rows).
  teams: TeamRollupItem[];
}

export type TeamRollupItem = {
  teamId: string;
  teamName: string;
  region: string | null;
  butlers: number;
} & SurveyFigures &
  OperationsFigures & { overdueFollowUps: number };

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
  // 累计消费, in fen.
  totalSpentFen: number;
  lastPurchaseAt: string | null;
  lastDetractorAt: string | null;
  reasons: ChurnReason[];
}

// Response classes: the shapes above as OpenAPI describes them.

// Invitations and responses of one channel (the channel the invitation went by).
export class ChannelFiguresDto implements ChannelFigures {
  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty()
  invitations!: number;

  @ApiProperty()
  responses!: number;

  @ApiProperty({ type: Number, nullable: true })
  responseRate!: number | null;
}

// A butler's (or a period's) survey and operations figures.
export class ScorecardFiguresDto implements SurveyFigures, OperationsFigures {
  @ApiProperty()
  invitations!: number;

  @ApiProperty()
  responses!: number;

  // responses / invitations of the same period (answers may come in the period after the email).
  @ApiProperty({ type: Number, nullable: true })
  responseRate!: number | null;

  // Answers held out of every figure by rating integrity (flagged, not cleared).
  @ApiProperty()
  flaggedResponses!: number;

  @ApiProperty({ type: Number, nullable: true })
  csatMean!: number | null;

  // Share of answers 4–5, in %.
  @ApiProperty({ type: Number, nullable: true })
  csatPercent!: number | null;

  // % of 9–10 minus % of 0–6, over answers with an NPS.
  @ApiProperty({ type: Number, nullable: true })
  nps!: number | null;

  // Mean of each SERVQUAL dimension, null without answers.
  @ApiProperty({ type: () => ServqualScoresDto })
  servqual!: ServqualScoresDto;

  // Invitations, responses and response rate by channel (email, sms, wecom; each listed).
  @ApiProperty({ type: () => ChannelFiguresDto, isArray: true })
  byChannel!: ChannelFiguresDto[];

  @ApiProperty({ type: Number, nullable: true })
  rankScore!: number | null;

  @ApiProperty({ enum: ['wilson'] })
  rankMethod!: 'wilson';

  @ApiProperty({ type: Number, nullable: true })
  followUpsOnTimePercent!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  medianFirstResponseHours!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  medianResolutionHours!: number | null;
}

export class ButlerReportItemDto extends ScorecardFiguresDto {
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  butlerName!: string;

  @ApiProperty()
  overdueFollowUps!: number;
}

export class ButlerReportDto implements ButlerReport {
  @ApiProperty({ example: '2026-10-01' })
  from!: string;

  @ApiProperty({ example: '2026-10-31' })
  to!: string;

  @ApiProperty({ enum: ['wilson'] })
  rankMethod!: 'wilson';

  // How rankScore is computed, in words, for the console's tooltip.
  @ApiProperty()
  rankDescription!: string;

  @ApiProperty({ type: () => ButlerReportItemDto, isArray: true })
  items!: ButlerReportItemDto[];

  @ApiProperty({ type: () => TeamRollupDto, isArray: true, description: "each team's butlers added up" })
  teams!: TeamRollupDto[];
}

export class TeamRollupDto extends ScorecardFiguresDto implements TeamRollupItem {
  @ApiProperty({ format: 'uuid', description: "the team's manager" })
  teamId!: string;

  @ApiProperty()
  teamName!: string;

  @ApiProperty({ type: String, nullable: true })
  region!: string | null;

  @ApiProperty()
  butlers!: number;

  @ApiProperty()
  overdueFollowUps!: number;
}

export class TrendPointDto extends ScorecardFiguresDto {
  // The period's first day.
  @ApiProperty({ example: '2026-10-05' })
  period!: string;
}

export class TrendReportDto implements TrendReport {
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  butlerName!: string;

  @ApiProperty({ enum: INTERVALS })
  interval!: 'week' | 'month';

  @ApiProperty({ example: '2026-10-01' })
  from!: string;

  @ApiProperty({ example: '2026-12-31' })
  to!: string;

  @ApiProperty({ type: () => TrendPointDto, isArray: true })
  items!: TrendPointDto[];
}

export class DriverDto implements DriverFigure {
  @ApiProperty({ enum: SERVQUAL_DIMENSIONS })
  dimension!: ServqualDimension;

  // The dimension's Chinese name and what it asks.
  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  // Pearson correlation of the dimension's answers with the same responses' CSAT.
  @ApiProperty({ type: Number, nullable: true })
  correlation!: number | null;

  // How much CSAT moves per point of the dimension.
  @ApiProperty({ type: Number, nullable: true })
  slope!: number | null;

  @ApiProperty()
  responses!: number;

  @ApiProperty({ type: Number, nullable: true })
  mean!: number | null;
}

export class DriversReportDto implements DriversReport {
  @ApiProperty({ example: '2026-10-01' })
  from!: string;

  @ApiProperty({ example: '2026-10-31' })
  to!: string;

  @ApiProperty({ enum: ['pearson'] })
  method!: 'pearson';

  @ApiProperty()
  responses!: number;

  @ApiProperty({ type: String, nullable: true, enum: SERVQUAL_DIMENSIONS })
  topDriver!: string | null;

  @ApiProperty({ type: () => DriverDto, isArray: true })
  items!: DriverDto[];
}

export class ChurnReportItemDto implements ChurnReportItem {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty({ enum: TIERS })
  tier!: string;

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  butlerName!: string;

  // 累计消费, in fen.
  @ApiProperty({ type: 'integer', minimum: 0 })
  totalSpentFen!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPurchaseAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastDetractorAt!: string | null;

  @ApiProperty({ type: () => ChurnReasonDto, isArray: true })
  reasons!: ChurnReasonDto[];
}

export class RecomputeSampleDto {
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ example: '2026-11-22' })
  day!: string;
}

export class RecomputeResultDto implements RecomputeResult {
  // Butler-days whose stored summary differed from the raw rows (now corrected).
  @ApiProperty()
  driftedRows!: number;

  @ApiProperty()
  rows!: number;

  @ApiProperty()
  ms!: number;

  @ApiProperty({ type: () => RecomputeSampleDto, isArray: true })
  sample!: RecomputeSampleDto[];
}

// GET /reports/satisfaction: satisfaction by client group (docs/segments.md).
export class SatisfactionQueryDto extends PeriodQueryDto {
  @ApiProperty({ enum: SATISFACTION_GROUPS })
  @IsIn(SATISFACTION_GROUPS)
  groupBy!: SatisfactionGroup;

  @ApiPropertyOptional({ enum: SATISFACTION_KINDS, default: 'transactional' })
  @IsOptional()
  @IsIn(SATISFACTION_KINDS)
  kind?: SatisfactionKind;
}

export class SatisfactionFiguresDto implements SatisfactionFigures {
  @ApiProperty({ description: 'answers in the period (n)' })
  responses!: number;

  @ApiProperty({ description: 'invitations sent in the period' })
  invitations!: number;

  @ApiProperty({ type: Number, nullable: true })
  responseRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'share of answers 4–5, in %' })
  csatPercent!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  csatMean!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  nps!: number | null;

  @ApiProperty({ type: () => ServqualScoresDto, description: 'mean perception per SERVQUAL dimension' })
  servqual!: Record<ServqualDimension, number | null>;

  @ApiProperty({ type: () => ServqualScoresDto, description: 'mean expectation (relationship answers)' })
  expectations!: Record<ServqualDimension, number | null>;

  @ApiProperty({ type: () => ServqualScoresDto, description: 'mean perception − expectation (relationship answers)' })
  gaps!: Record<ServqualDimension, number | null>;

  @ApiProperty({ description: 'fewer than 5 answers: no figures shown (样本不足)' })
  suppressed!: boolean;
}

export interface SatisfactionGroupItem extends SatisfactionFigures {
  key: string;
  label: string;
  region: string | null;
}

export class SatisfactionGroupDto extends SatisfactionFiguresDto implements SatisfactionGroupItem {
  @ApiProperty({ description: "the group's key: a team's manager id, a butler id, a tier, … ('' when not recorded)" })
  key!: string;

  @ApiProperty({ description: 'the group in Chinese' })
  label!: string;

  @ApiProperty({ type: String, nullable: true, description: "a team's region (groupBy=team)" })
  region!: string | null;
}

export interface SatisfactionReport {
  groupBy: SatisfactionGroup;
  kind: SatisfactionKind;
  from: string;
  to: string;
  minResponses: number;
  total: SatisfactionFigures;
  items: SatisfactionGroupItem[];
}

export class SatisfactionReportDto implements SatisfactionReport {
  @ApiProperty({ enum: SATISFACTION_GROUPS })
  groupBy!: SatisfactionGroup;

  @ApiProperty({ enum: SATISFACTION_KINDS })
  kind!: SatisfactionKind;

  @ApiProperty({ example: '2026-10-01' })
  from!: string;

  @ApiProperty({ example: '2026-12-31' })
  to!: string;

  @ApiProperty({ description: 'groups with fewer answers are suppressed' })
  minResponses!: number;

  @ApiProperty({ type: () => SatisfactionFiguresDto, description: 'every group together' })
  total!: SatisfactionFiguresDto;

  @ApiProperty({ type: () => SatisfactionGroupDto, isArray: true })
  items!: SatisfactionGroupDto[];
}
