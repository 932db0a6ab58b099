import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';

import { RECOVERY_OUTCOMES, ROOT_CAUSES, type RecoveryOutcome, type RootCause } from '@app/follow-ups';

export class RootCausesQueryDto {
  // A calendar month, Asia/Shanghai: the recovery tasks completed in it.
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  @ApiProperty({ type: String, pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-11' })
  month!: string;

  // One team (its manager's id); one the caller does not see is a 404.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  teamId?: string;
}

export class RootCauseParamDto {
  @IsIn(ROOT_CAUSES)
  @ApiProperty({ enum: ROOT_CAUSES })
  code!: RootCause;
}

export class RootCauseBarDto {
  @ApiProperty({ enum: ROOT_CAUSES })
  code!: RootCause;

  @ApiProperty({ type: 'integer' })
  count!: number;

  // Of all the month's root causes, and with every bar before it (the Pareto line), in %.
  @ApiProperty({ type: Number })
  percent!: number;

  @ApiProperty({ type: Number })
  cumulativePercent!: number;
}

export class RecoveryByManagerDto {
  @ApiProperty({ format: 'uuid' })
  managerId!: string;

  @ApiProperty()
  managerName!: string;

  // Recovery tasks the manager completed in the month.
  @ApiProperty({ type: 'integer' })
  tasks!: number;

  // Of those, re-surveyed (the one question), answered, and answered 4–5.
  @ApiProperty({ type: 'integer' })
  resurveyed!: number;

  @ApiProperty({ type: 'integer' })
  answered!: number;

  @ApiProperty({ type: 'integer' })
  recovered!: number;

  // recovered / answered, in %; null before any answer.
  @ApiProperty({ type: Number, nullable: true })
  recoveredPercent!: number | null;
}

export class RootCauseReportDto {
  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({ type: 'integer' })
  total!: number;

  // Largest first; causes with no task are left out.
  @ApiProperty({ type: () => RootCauseBarDto, isArray: true })
  bars!: RootCauseBarDto[];

  @ApiProperty({ type: () => RecoveryByManagerDto, isArray: true })
  recovery!: RecoveryByManagerDto[];
}

export class RootCauseAnswerDto {
  @ApiProperty({ format: 'uuid' })
  responseId!: string;

  @ApiProperty({ type: 'integer' })
  csat!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  nps!: number | null;

  @ApiProperty()
  comment!: string;

  @ApiProperty({ format: 'date-time' })
  respondedAt!: string;

  // The butler the low answer rated.
  @ApiProperty({ type: String, nullable: true })
  butlerName!: string | null;
}

export class RootCauseCaseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  summary!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty()
  priority!: string;

  @ApiProperty()
  status!: string;
}

export class ResurveyDto {
  // scheduled, queued, sent, responded or skipped (the invitation's status).
  @ApiProperty()
  status!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  csat!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  respondedAt!: string | null;
}

export class RootCauseItemDto {
  // The recovery task.
  @ApiProperty({ format: 'uuid' })
  followUpId!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty()
  ownerName!: string;

  @ApiProperty({ format: 'date-time' })
  completedAt!: string;

  @ApiProperty({ enum: RECOVERY_OUTCOMES, nullable: true })
  recoveryOutcome!: RecoveryOutcome | null;

  @ApiProperty()
  note!: string;

  // The low answer that opened the task.
  @ApiProperty({ type: () => RootCauseAnswerDto, nullable: true })
  answer!: RootCauseAnswerDto | null;

  // The case that answer was about, when the surveyed contact was a case's resolution.
  @ApiProperty({ type: () => RootCauseCaseDto, nullable: true })
  case!: RootCauseCaseDto | null;

  @ApiProperty({ type: () => ResurveyDto, nullable: true })
  resurvey!: ResurveyDto | null;
}

export class RootCauseItemsDto {
  @ApiProperty({ enum: ROOT_CAUSES })
  code!: RootCause;

  @ApiProperty({ example: '2026-11' })
  month!: string;

  // Newest first, at most 500.
  @ApiProperty({ type: () => RootCauseItemDto, isArray: true })
  items!: RootCauseItemDto[];
}
