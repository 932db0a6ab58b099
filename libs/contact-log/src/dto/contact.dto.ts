import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { IsOffsetDateTime } from '@app/common';
import { CONTACT_CHANNELS } from '@app/follow-ups';
import { INTERACTION_KINDS, InteractionEntity, InteractionKind } from '@app/interactions';
import { CONTACT_KINDS, ContactKind } from '@app/settings';
import { SurveyDecisionDto } from '@app/surveys';

export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'left_message', 'declined'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

// 记一笔: a contact the butler had with the client, whoever started it.
export class LogContactDto {
  @ApiProperty({ enum: CONTACT_KINDS })
  @IsIn(CONTACT_KINDS)
  kind!: ContactKind;

  // How it went through; by default what the kind says (call → phone, visit and tasting event → visit).
  @ApiPropertyOptional({ enum: CONTACT_CHANNELS })
  @IsOptional()
  @IsIn(CONTACT_CHANNELS)
  channel?: ContactChannel;

  @ApiProperty({ enum: CONTACT_OUTCOMES })
  @IsIn(CONTACT_OUTCOMES)
  outcome!: ContactOutcome;

  // When it happened: not in the future, at most 30 days back; by default now (the server's clock, so a
  // phone whose clock is off logs the right time).
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-25T15:30:00+08:00' })
  @IsOptional()
  @IsOffsetDateTime()
  occurredAt?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @ApiProperty({ type: String, minLength: 1, maxLength: 2000 })
  summary!: string;

  // Plans the butler's own follow-up at this time (in the future).
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-28T10:00:00+08:00' })
  @IsOptional()
  @IsOffsetDateTime()
  nextFollowUpAt?: string;
}

// One row of the client's contact log.
export class ContactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  // The butler the contact counts for (their survey ratings, their client).
  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  // Who logged it (the butler, or their manager or an admin); null for contacts logged by the system
  // (a completed follow-up, a resolved case) before this was recorded.
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  recordedBy!: string | null;

  @ApiProperty({ enum: INTERACTION_KINDS })
  kind!: InteractionKind;

  @ApiProperty({ type: String, nullable: true })
  channel!: string | null;

  @ApiProperty({ type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty()
  summary!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  followUpId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  caseId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class PlannedFollowUpDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  dueAt!: string;
}

export class LoggedContactDto extends ContactDto {
  // Whether the client will be asked about this contact.
  @ApiProperty({ type: () => SurveyDecisionDto })
  survey!: SurveyDecisionDto;

  // The follow-up planned with nextFollowUpAt, if any.
  @ApiProperty({ type: () => PlannedFollowUpDto, nullable: true })
  nextFollowUp!: PlannedFollowUpDto | null;
}

export function mapContact(i: InteractionEntity): ContactDto {
  return {
    id: i.id,
    customerId: i.customerId,
    butlerId: i.butlerId,
    recordedBy: i.recordedBy,
    kind: i.kind,
    channel: i.channel,
    outcome: i.outcome,
    summary: i.summary,
    occurredAt: i.occurredAt.toISOString(),
    followUpId: i.followUpId,
    caseId: i.caseId,
    createdAt: i.createdAt.toISOString(),
  };
}
