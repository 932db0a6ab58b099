import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto, trimString } from '@app/common';
import { SurveyDecisionDto } from '@app/surveys';

import { CaseNoteEntity } from '../entities/case-note.entity';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  CaseEntity,
  CasePriority,
  CaseStatus,
  CaseType,
} from '../entities/case.entity';

export const CASE_CHANNELS = ['phone', 'wechat', 'store', 'email', 'visit', 'other'] as const;

// The legal moves of a case; anything else is a 409 naming these.
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['in_progress'],
  in_progress: ['resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export class CreateCaseDto {
  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  customerId!: string;

  // Must be one of this client's purchases.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  purchaseId?: string;

  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES)
  type!: CaseType;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;

  @ApiProperty({ enum: CASE_CHANNELS })
  @IsIn(CASE_CHANNELS)
  channel!: (typeof CASE_CHANNELS)[number];

  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @ApiProperty({ type: String, minLength: 1, maxLength: 500 })
  summary!: string;
}

// The descriptive fields, each optional; butlerId (who handles it) only for managers and admins.
export class UpdateCaseDto extends PartialType(
  PickType(CreateCaseDto, ['purchaseId', 'type', 'priority', 'channel', 'summary'] as const),
) {
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;
}

export class CaseNoteBodyDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  @ApiProperty({ type: String, minLength: 1, maxLength: 4000 })
  body!: string;
}

export class TransitionCaseDto {
  @ApiProperty({ enum: CASE_STATUSES })
  @IsIn(CASE_STATUSES)
  to!: CaseStatus;

  // Optional note stored with the move (e.g. how it was resolved).
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(4000)
  @ApiPropertyOptional({ type: String, maxLength: 4000 })
  note?: string;
}

export class ListCasesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  customerId?: string;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: CaseType;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;

  // true: only cases the SLA worker marked past their SLA (first response or resolution); false: the others.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  breached?: boolean;
}

export class CaseNoteDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  authorId!: string;

  @ApiProperty({ type: String, nullable: true })
  authorName!: string | null;

  @ApiProperty()
  body!: string;

  // The move this note came with ("open→in_progress"), or null for a plain note.
  @ApiProperty({ type: String, nullable: true })
  transition!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class CaseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty({ type: String, nullable: true })
  customerName!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  purchaseId!: string | null;

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ enum: CASE_TYPES })
  type!: CaseType;

  @ApiProperty({ enum: CASE_PRIORITIES })
  priority!: CasePriority;

  @ApiProperty({ enum: CASE_CHANNELS })
  channel!: string;

  @ApiProperty()
  summary!: string;

  @ApiProperty({ enum: CASE_STATUSES })
  status!: CaseStatus;

  @ApiProperty({ enum: CASE_STATUSES, isArray: true })
  allowedTransitions!: readonly CaseStatus[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  openedBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstResponseAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  // SLA figures, in hours (to one decimal), null until the event happened.
  @ApiProperty({ type: Number, nullable: true })
  firstResponseHours!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  resolutionHours!: number | null;

  // When the SLA worker found the case past its first-response or resolution SLA (docs/sla.md), and
  // the escalation step reached: 0 none, 1 the butler alerted, 2 their manager, 3 an admin.
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  slaBreachedAt!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 3 })
  slaLevel!: number;

  // With one case (not in lists), oldest first.
  @ApiProperty({ type: () => CaseNoteDto, isArray: true, required: false })
  notes?: CaseNoteDto[];

  // After a transition to resolved: what was decided about a survey.
  @ApiProperty({ type: () => SurveyDecisionDto, required: false })
  survey?: SurveyDecisionDto;
}

const hoursBetween = (from: Date, to: Date | null): number | null =>
  to ? Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 10) / 10 : null;

export function mapCase(c: CaseEntity, notes?: CaseNoteEntity[]): CaseDto {
  return {
    id: c.id,
    customerId: c.customerId,
    customerName: c.customer?.name ?? null,
    purchaseId: c.purchaseId,
    butlerId: c.butlerId,
    type: c.type,
    priority: c.priority,
    channel: c.channel,
    summary: c.summary,
    status: c.status,
    allowedTransitions: CASE_TRANSITIONS[c.status],
    openedBy: c.openedBy,
    openedAt: c.openedAt.toISOString(),
    firstResponseAt: c.firstResponseAt?.toISOString() ?? null,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    firstResponseHours: hoursBetween(c.openedAt, c.firstResponseAt),
    resolutionHours: hoursBetween(c.openedAt, c.resolvedAt),
    slaBreachedAt: c.slaBreachedAt?.toISOString() ?? null,
    slaLevel: c.slaLevel,
    ...(notes ? { notes: notes.map(mapCaseNote) } : {}),
  };
}

export function mapCaseNote(n: CaseNoteEntity): CaseNoteDto {
  return {
    id: n.id,
    authorId: n.authorId,
    authorName: n.author?.name ?? null,
    body: n.body,
    transition: n.transition,
    createdAt: n.createdAt.toISOString(),
  };
}
