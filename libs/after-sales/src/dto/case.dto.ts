import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto, trimString } from '@app/common';
import type { InvitationDecisionDto } from '@app/surveys';

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
  customerId!: string;

  // Must be one of this client's purchases.
  @IsOptional()
  @IsUUID()
  purchaseId?: string;

  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES)
  type!: CaseType;

  @ApiProperty({ enum: CASE_PRIORITIES, required: false, default: 'normal' })
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
  summary!: string;
}

// The descriptive fields, each optional; butlerId (who handles it) only for managers and admins.
export class UpdateCaseDto extends PartialType(
  PickType(CreateCaseDto, ['purchaseId', 'type', 'priority', 'channel', 'summary'] as const),
) {
  @IsOptional()
  @IsUUID()
  butlerId?: string;
}

export class CaseNoteBodyDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
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
  note?: string;
}

export class ListCasesQueryDto extends PageQueryDto {
  @ApiProperty({ enum: CASE_STATUSES, required: false })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @IsOptional()
  @IsUUID()
  customerId?: string;

  @IsOptional()
  @IsUUID()
  butlerId?: string;

  @ApiProperty({ enum: CASE_TYPES, required: false })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: CaseType;

  @ApiProperty({ enum: CASE_PRIORITIES, required: false })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;
}

export interface CaseNoteDto {
  id: string;
  authorId: string;
  authorName: string | null;
  body: string;
  transition: string | null;
  createdAt: string;
}

export interface CaseDto {
  id: string;
  customerId: string;
  customerName: string | null;
  purchaseId: string | null;
  butlerId: string;
  type: CaseType;
  priority: CasePriority;
  channel: string;
  summary: string;
  status: CaseStatus;
  allowedTransitions: readonly CaseStatus[];
  openedBy: string | null;
  openedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  // SLA figures, in hours (to one decimal), null until the event happened.
  firstResponseHours: number | null;
  resolutionHours: number | null;
  notes?: CaseNoteDto[];
  survey?: InvitationDecisionDto;
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
