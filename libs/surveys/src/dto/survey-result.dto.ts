import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

import { PageQueryDto } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';

import { INVITATION_SOURCES, type InvitationSource } from '../entities/survey-invitation.entity';
import type { ServqualDimension } from '../entities/survey-response.entity';
import type { InvitationDecision, InvitationDecisionDto } from '../survey-invitations.service';

export class ListSurveyResultsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  customerId?: string;

  // Only CSAT 1–2 or NPS 0–6 answers.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  detractor?: boolean;
}

// The SERVQUAL answers (1–5), each null when the client skipped it.
export class ServqualScoresDto implements Record<ServqualDimension, number | null> {
  @ApiProperty({ type: Number, nullable: true })
  reliability!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  responsiveness!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  assurance!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  empathy!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  tangibles!: number | null;
}

export class SurveyResultDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty()
  butlerName!: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  csat!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 10 })
  nps!: number | null;

  @ApiProperty({ type: () => ServqualScoresDto })
  servqual!: ServqualScoresDto;

  // Empty when the client wrote none.
  @ApiProperty()
  comment!: string;

  @ApiProperty({ format: 'date-time' })
  respondedAt!: string;

  // What was surveyed: a completed follow-up, a resolved case or a logged contact.
  @ApiProperty({ enum: INVITATION_SOURCES })
  source!: InvitationSource;

  // The channel that brought the answer: the one the invitation went by.
  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;
}

const NOT_INVITED: Extract<InvitationDecision, { invited: false }>['reason'][] = [
  'not_reached',
  'disabled',
  'no_consent',
  'no_channel',
  'capped',
  'cooldown',
  'customer_deleted',
];

// What the API decided about a survey for a contact (a completed follow-up, a resolved case).
export class SurveyDecisionDto implements InvitationDecisionDto {
  @ApiProperty()
  invited!: boolean;

  // When invited: when the invitation goes out.
  @ApiProperty({ required: false, format: 'date-time' })
  sendAt?: string;

  // When not invited: why.
  @ApiProperty({ required: false, enum: NOT_INVITED })
  reason?: string;
}
