import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';

import { INVITATION_SOURCES, type InvitationSource } from '../entities/survey-invitation.entity';
import type { ServqualDimension } from '../entities/survey-response.entity';
import { INTEGRITY_REASON_CODES, type IntegrityReasonCode } from '../integrity';
import type { InvitationDecision, InvitationDecisionDto } from '../survey-invitations.service';

// The comment themes and stances (libs/comment-themes' THEMES and POLARITIES, which depend on this
// library; a test checks the two lists agree).
export const COMMENT_THEMES = [
  'taste',
  'packaging',
  'delivery',
  'price',
  'authenticity',
  'attitude',
  'responsiveness',
  'event',
  'other',
] as const;
export const COMMENT_POLARITIES = ['positive', 'negative', 'neutral'] as const;

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
  @Transform(booleanQuery)
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  detractor?: boolean;

  // Only answers flagged by rating integrity now (true), or only those not flagged (false).
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  flagged?: boolean;

  // Only answers whose comment speaks of this theme (comment themes), …
  @IsOptional()
  @IsIn(COMMENT_THEMES)
  @ApiPropertyOptional({ enum: COMMENT_THEMES })
  theme?: (typeof COMMENT_THEMES)[number];

  // … with this stance (with or without a theme).
  @IsOptional()
  @IsIn(COMMENT_POLARITIES)
  @ApiPropertyOptional({ enum: COMMENT_POLARITIES })
  polarity?: (typeof COMMENT_POLARITIES)[number];
}

function booleanQuery({ value }: { value: unknown }): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

export class IntegrityReasonDto {
  @ApiProperty({ enum: INTEGRITY_REASON_CODES })
  code!: IntegrityReasonCode;

  // The reason in Chinese, with its dates and figures.
  @ApiProperty()
  text!: string;
}

// Rating integrity (managers and admins see it; null for a butler).
export class IntegrityDto {
  // Held out of the figures now.
  @ApiProperty()
  flagged!: boolean;

  // Why it was flagged; kept after a manager cleared it. Empty when nothing was found.
  @ApiProperty({ type: () => IntegrityReasonDto, isArray: true })
  reasons!: IntegrityReasonDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  clearedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  clearedByName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  clearNote!: string | null;
}

export class ResultThemeDto {
  @ApiProperty({ enum: COMMENT_THEMES })
  key!: (typeof COMMENT_THEMES)[number];

  @ApiProperty({ enum: COMMENT_POLARITIES })
  polarity!: (typeof COMMENT_POLARITIES)[number];
}

export class ClearFlagDto {
  // Why the manager trusts the answer after all (the audit log keeps it).
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  @ApiProperty({ minLength: 2, maxLength: 500, example: '已电话联系客户本人，确认评价为其本人填写' })
  note!: string;
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

  // The comment's themes (empty while not tagged, or with no comment).
  @ApiProperty({ type: () => ResultThemeDto, isArray: true })
  themes!: ResultThemeDto[];

  @ApiProperty({ type: () => IntegrityDto, nullable: true })
  integrity!: IntegrityDto | null;
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
