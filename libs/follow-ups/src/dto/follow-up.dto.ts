import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { IsOffsetDateTime, PageQueryDto } from '@app/common';
import { SurveyDecisionDto } from '@app/surveys';

import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_STATUSES,
  FollowUpEntity,
  FollowUpKind,
  FollowUpStatus,
  RECOVERY_OUTCOMES,
  RecoveryOutcome,
  ROOT_CAUSES,
  RootCause,
} from '../entities/follow-up.entity';

// A query's true/false.
export const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export const ASSIGNABLE_KINDS = ['manual', 'churn_risk'] as const;
export const OUTCOMES = ['reached', 'no_answer', 'left_message', 'declined', 'other'] as const;
export const CONTACT_CHANNELS = ['phone', 'wechat', 'visit', 'sms', 'email', 'other'] as const;

export class CreateFollowUpDto {
  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  customerId!: string;

  // The client's butler (the default). A butler may name only themselves (else 403); a manager or
  // admin naming another butler must also hand the client over (handOverClient), else 409.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  // With a butlerId that is not the client's butler: the client (with all its open follow-ups and
  // cases) moves to that butler too. Managers and admins only.
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  handOverClient?: boolean;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:00:00+08:00' })
  @IsOffsetDateTime()
  dueAt!: string;

  @ApiPropertyOptional({ enum: ASSIGNABLE_KINDS })
  @IsOptional()
  @IsIn(ASSIGNABLE_KINDS)
  kind?: (typeof ASSIGNABLE_KINDS)[number];

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, maxLength: 2000 })
  note?: string;
}

// Reassign, reschedule, retitle or annotate: the create fields, each optional. Given, none may be
// null (they are NOT NULL columns): `ValidateIf` rather than `IsOptional`, which lets null through.
const given = ValidateIf((_: object, value: unknown) => value !== undefined);
export class UpdateFollowUpDto extends PartialType(PickType(CreateFollowUpDto, ['handOverClient'] as const)) {
  @given
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  @given
  @IsOffsetDateTime()
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-25T10:00:00+08:00' })
  dueAt?: string;

  @given
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  title?: string;

  @given
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, maxLength: 2000 })
  note?: string;

  // Only cancelling is done here; completing is POST /follow-ups/:id/complete.
  @ApiPropertyOptional({ enum: ['cancelled'] })
  @IsOptional()
  @IsIn(['cancelled'])
  status?: 'cancelled';
}

export class CompleteFollowUpDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome!: (typeof OUTCOMES)[number];

  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS)
  channel!: (typeof CONTACT_CHANNELS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, maxLength: 2000 })
  note?: string;

  // 改约: after no_answer or left_message, the new due time (in the future); the follow-up stays open.
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-26T10:00:00+08:00' })
  @IsOptional()
  @IsOffsetDateTime()
  rescheduleTo?: string;

  // After no_answer or left_message the follow-up stays open unless this is true; other outcomes
  // always close it.
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  close?: boolean;

  // A recovery task (kind recovery) closed by this call needs both (else 400 naming each): why the
  // client was unhappy and what the call achieved. Ignored for other kinds.
  @ApiPropertyOptional({ enum: ROOT_CAUSES })
  @IsOptional()
  @IsIn(ROOT_CAUSES)
  rootCause?: RootCause;

  @ApiPropertyOptional({ enum: RECOVERY_OUTCOMES })
  @IsOptional()
  @IsIn(RECOVERY_OUTCOMES)
  recoveryOutcome?: RecoveryOutcome;

  // A recovery task: send the client the one-question re-survey (through the survey invitations,
  // with their consent; only when the client was reached).
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  resurvey?: boolean;
}

// Outcomes after which the follow-up stays open (a call-back) unless the butler closes it.
export const RETRY_OUTCOMES: readonly string[] = ['no_answer', 'left_message'];

export const DUE_FILTERS = ['today', 'overdue', 'upcoming'] as const;

export class ListFollowUpsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES })
  @IsOptional()
  @IsIn(FOLLOW_UP_STATUSES)
  status?: FollowUpStatus;

  // today: due today (Asia/Shanghai); overdue: open and past due; upcoming: open, due later.
  @ApiPropertyOptional({ enum: DUE_FILTERS })
  @IsOptional()
  @IsIn(DUE_FILTERS)
  due?: (typeof DUE_FILTERS)[number];

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  customerId?: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_KINDS })
  @IsOptional()
  @IsIn(FOLLOW_UP_KINDS)
  kind?: FollowUpKind;

  // true: only those the SLA worker marked past their SLA; false: only those it did not.
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  breached?: boolean;
}

// The low survey answer a recovery follow-up answers (what the manager's card shows).
export class RecoveryScoreDto {
  @ApiProperty({ format: 'uuid' })
  responseId!: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  csat!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 10 })
  nps!: number | null;

  @ApiProperty()
  comment!: string;

  @ApiProperty({ format: 'date-time' })
  respondedAt!: string;
}

export class FollowUpDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ type: String, nullable: true })
  customerName!: string | null;

  // For 拨打 on the card, without reading the client.
  @ApiProperty({ type: String, nullable: true })
  customerMobile!: string | null;

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ enum: FOLLOW_UP_KINDS })
  kind!: FollowUpKind;

  @ApiProperty()
  title!: string;

  @ApiProperty({ format: 'date-time' })
  dueAt!: string;

  @ApiProperty({ enum: FOLLOW_UP_STATUSES })
  status!: FollowUpStatus;

  // Open and past due.
  @ApiProperty()
  overdue!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assignedBy!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  purchaseId!: string | null;

  @ApiProperty()
  note!: string;

  @ApiProperty({ type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  interactionId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  // Recovery follow-ups: the low score they answer; null otherwise.
  @ApiProperty({ type: () => RecoveryScoreDto, nullable: true })
  recoveryScore!: RecoveryScoreDto | null;

  // A completed recovery task's root cause and outcome; null otherwise.
  @ApiProperty({ enum: ROOT_CAUSES, nullable: true })
  rootCause!: RootCause | null;

  @ApiProperty({ enum: RECOVERY_OUTCOMES, nullable: true })
  recoveryOutcome!: RecoveryOutcome | null;

  // When the SLA worker found it past its SLA (recovery tasks), and the escalation step reached:
  // 0 none, 1 the owner alerted, 2 their manager, 3 an admin.
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  slaBreachedAt!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 3 })
  slaLevel!: number;
}

export class CompletedFollowUpDto extends FollowUpDto {
  // Null for a recovery follow-up; not invited (reason not_reached) when the client was not reached.
  @ApiProperty({ type: () => SurveyDecisionDto, nullable: true })
  survey!: SurveyDecisionDto | null;
}

export function mapFollowUp(f: FollowUpEntity, now: Date): FollowUpDto {
  return {
    id: f.id,
    customerId: f.customerId,
    customerName: f.customer?.name ?? null,
    customerMobile: f.customer?.mobile ?? null,
    butlerId: f.butlerId,
    kind: f.kind,
    title: f.title,
    dueAt: f.dueAt.toISOString(),
    status: f.status,
    overdue: f.status === 'open' && f.dueAt < now,
    assignedBy: f.assignedBy,
    purchaseId: f.purchaseId,
    note: f.note,
    outcome: f.outcome,
    completedAt: f.completedAt?.toISOString() ?? null,
    interactionId: f.interactionId,
    createdAt: f.createdAt.toISOString(),
    rootCause: f.rootCause,
    recoveryOutcome: f.recoveryOutcome,
    slaBreachedAt: f.slaBreachedAt?.toISOString() ?? null,
    slaLevel: f.slaLevel,
    recoveryScore: f.surveyResponse
      ? {
          responseId: f.surveyResponse.id,
          csat: f.surveyResponse.csat,
          nps: f.surveyResponse.nps,
          comment: f.surveyResponse.comment,
          respondedAt: f.surveyResponse.respondedAt.toISOString(),
        }
      : null,
  };
}
