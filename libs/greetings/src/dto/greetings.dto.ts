import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';

import { FESTIVAL_KEYS, FestivalDto } from '@app/calendar';
import { AROMA_TYPES } from '@app/catalog';
import { IsOffsetDateTime, trimString } from '@app/common';
import { TIERS } from '@app/customers';
import { Channel, CHANNELS } from '@app/mail';

import { CAMPAIGN_STATUSES, CampaignAudience, CampaignEntity, CampaignStatus } from '../entities/campaign.entity';
import { TemplateEntity } from '../entities/template.entity';
import type { UpcomingBirthday, UpcomingCare } from '../upcoming-care.service';

export const OCCASIONS = [...FESTIVAL_KEYS, 'birthday', 'custom'] as const;
// Birthday campaigns are made by the daily care round only: it alone addresses the clients whose
// birthday is that day. A manual one would wish every client of its audience 生日快乐.
export const CAMPAIGN_OCCASIONS = [...FESTIVAL_KEYS, 'custom'] as const;

export class CreateTemplateDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  name!: string;

  @ApiProperty({ enum: OCCASIONS })
  @IsIn(OCCASIONS)
  occasion!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  subject!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  @ApiProperty({ type: String, minLength: 1, maxLength: 5000 })
  body!: string;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  isDefault?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  active?: boolean;
}

export class UpdateTemplateDto {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 100 })
  name?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 200 })
  subject?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 5000 })
  body?: string;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  isDefault?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  active?: boolean;
}

export class PreviewQueryDto {
  // Render for this client (one the caller may see); a sample client otherwise.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  customerId?: string;
}

export class AudienceDto {
  // all: every client the caller may address (a manager: their team); butler: one butler's clients.
  @ApiProperty({ enum: ['all', 'team', 'butler'] })
  @IsIn(['all', 'team', 'butler'])
  scope!: 'all' | 'team' | 'butler';

  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  butlerId?: string;

  // For an admin addressing one manager's team.
  @IsOptional()
  @IsUUID()
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  managerId?: string;

  // At most 4; no maxItems, which the generated types would turn into a union of tuples.
  @ApiPropertyOptional({ enum: TIERS, isArray: true, description: 'At most 4' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsIn(TIERS, { each: true })
  tiers?: string[];

  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Each at most 30 characters' })
  tags?: string[];

  @ApiPropertyOptional({ enum: AROMA_TYPES, isArray: true, maxItems: 12 })
  @IsOptional()
  @ArrayMaxSize(12)
  @IsIn(AROMA_TYPES, { each: true })
  aromas?: string[];
}

export class CreateCampaignDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 })
  name!: string;

  @ApiProperty({ enum: CAMPAIGN_OCCASIONS })
  @IsIn(CAMPAIGN_OCCASIONS, {
    message: ({ value }: ValidationArguments) =>
      value === 'birthday'
        ? 'occasion birthday is not allowed: ' +
          'birthday greetings are created by the daily care round for the clients whose birthday it is'
        : `occasion must be one of the following values: ${CAMPAIGN_OCCASIONS.join(', ')}`,
  })
  occasion!: string;

  @IsUUID()
  @ApiProperty({ type: String, format: 'uuid' })
  templateId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-09-15T09:00:00+08:00' })
  @IsOffsetDateTime()
  sendAt!: string;

  // An object, not an array: ValidateNested passes an empty array through.
  @IsObject()
  @ValidateNested()
  @Type(() => AudienceDto)
  @ApiProperty({ type: () => AudienceDto })
  audience!: AudienceDto;

  // Saved as a draft: nothing is sent until it is confirmed.
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean })
  draft?: boolean;

  // Required (true) to schedule a campaign sending between 21:00 and 08:00 Asia/Shanghai.
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'true to send between 21:00 and 08:00 Asia/Shanghai' })
  confirmQuietHours?: boolean;
}

export class UpdateCampaignDto {
  // confirm a draft, or cancel a campaign that has not finished.
  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  @IsIn(['scheduled', 'cancelled'])
  status!: 'scheduled' | 'cancelled';

  // Required (true) to confirm a draft that sends between 21:00 and 08:00 Asia/Shanghai.
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'true to send between 21:00 and 08:00 Asia/Shanghai' })
  confirmQuietHours?: boolean;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: OCCASIONS })
  occasion!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  body!: string;

  // The template automatic campaigns of its occasion use.
  @ApiProperty()
  isDefault!: boolean;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TemplateListDto {
  @ApiProperty({ type: () => TemplateDto, isArray: true })
  items!: TemplateDto[];

  // Each placeholder a template may use, with what it stands for (in Chinese).
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'customer.name': '客户姓名', 'butler.name': '专属管家姓名' },
  })
  placeholders!: Record<string, string>;
}

export class TemplatePreviewDto {
  @ApiProperty()
  subject!: string;

  // The body as plain text, placeholders filled for the client (or a sample client).
  @ApiProperty()
  text!: string;
}

export function mapTemplate(t: TemplateEntity): TemplateDto {
  return {
    id: t.id,
    name: t.name,
    occasion: t.occasion,
    subject: t.subject,
    body: t.body,
    isDefault: t.isDefault,
    active: t.active,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export class CampaignOutage {
  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({ format: 'date-time' })
  since!: string;
}

export class CampaignProgress {
  @ApiProperty()
  audience!: number;

  @ApiProperty()
  pending!: number;

  @ApiProperty()
  sent!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  skipped!: number;

  // Skipped messages by reason (no_consent, no_email, capped, …).
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { no_consent: 2 } })
  skippedBy!: Record<string, number>;

  // While the campaign sends and a channel's provider cannot be reached: which, and since when
  // (its messages wait, pending, and nothing is failed for it before OUTBOX_MAX_OUTAGE).
  @ApiProperty({ type: () => CampaignOutage, nullable: true })
  outage!: CampaignOutage | null;
}

// The preview of a campaign (GET /greetings/campaigns/:id/preview): the greeting as three clients
// of its audience would read it, and how many it reaches.
export class CampaignSampleDto {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty()
  subject!: string;

  // The plain-text body with the unsubscribe line, exactly as sent.
  @ApiProperty()
  text!: string;
}

export class CampaignReachDto {
  // Clients of the audience (each gets a message row when it is planned).
  @ApiProperty()
  audience!: number;

  // Clients who would be sent the greeting.
  @ApiProperty()
  reachable!: number;

  // The others by the runner's skip reason (no_consent, no_email, capped).
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { no_consent: 2, no_email: 1 } })
  skipped!: Record<string, number>;
}

export class CampaignPreviewDto {
  // When it would go out (a send time that has passed: now).
  @ApiProperty({ format: 'date-time' })
  sendsAt!: string;

  // Whether that is between 21:00 and 08:00 Asia/Shanghai (confirming needs confirmQuietHours).
  @ApiProperty()
  quietHours!: boolean;

  // Up to three clients who would be sent the greeting.
  @ApiProperty({ type: () => CampaignSampleDto, isArray: true })
  samples!: CampaignSampleDto[];

  @ApiProperty({ type: () => CampaignReachDto })
  counts!: CampaignReachDto;
}

export class CampaignAudienceDto implements CampaignAudience {
  @ApiProperty({ enum: ['all', 'team', 'butler'] })
  scope!: 'all' | 'team' | 'butler';

  @ApiProperty({ required: false, format: 'uuid' })
  butlerId?: string;

  @ApiProperty({ required: false, format: 'uuid' })
  managerId?: string;

  @ApiProperty({ required: false, enum: TIERS, isArray: true })
  tiers?: string[];

  @ApiProperty({ required: false, type: [String] })
  tags?: string[];

  @ApiProperty({ required: false, enum: AROMA_TYPES, isArray: true })
  aromas?: string[];

  // Birthday campaigns: the clients whose birthday is celebrated on this day (YYYY-MM-DD).
  @ApiProperty({ required: false, example: '2027-03-08' })
  birthdayOn?: string;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: OCCASIONS })
  occasion!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  templateId!: string | null;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  sendAt!: string;

  @ApiProperty({ type: () => CampaignAudienceDto })
  audience!: CampaignAudienceDto;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  // The team's manager, for a team campaign.
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  managerId!: string | null;

  // Clients planned when the campaign started sending; null before.
  @ApiProperty({ type: Number, nullable: true })
  audienceCount!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  plannedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  // With one campaign (not in the list).
  @ApiProperty({ type: () => CampaignProgress, nullable: true })
  progress!: CampaignProgress | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

// A client's birthday in the coming days (GET /care/upcoming).
export class UpcomingBirthdayDto implements UpcomingBirthday {
  // This year's solar date of the birthday.
  @ApiProperty({ example: '2027-03-08' })
  date!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty({ format: 'uuid' })
  butlerId!: string;

  @ApiProperty({ enum: TIERS })
  tier!: string;

  @ApiProperty({ enum: ['solar', 'lunar'] })
  calendar!: 'solar' | 'lunar';
}

export class UpcomingCareDto implements UpcomingCare {
  @ApiProperty({ example: '2027-03-01' })
  from!: string;

  @ApiProperty({ example: '2027-03-07' })
  to!: string;

  @ApiProperty({ type: () => UpcomingBirthdayDto, isArray: true })
  birthdays!: UpcomingBirthdayDto[];

  @ApiProperty({ type: () => FestivalDto, isArray: true })
  festivals!: FestivalDto[];
}

export function mapCampaign(c: CampaignEntity, progress: CampaignProgress | null = null): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    occasion: c.occasion,
    templateId: c.templateId,
    subject: c.subject,
    sendAt: c.sendAt.toISOString(),
    audience: c.audience,
    status: c.status,
    managerId: c.managerId,
    audienceCount: c.audienceCount,
    plannedAt: c.plannedAt?.toISOString() ?? null,
    completedAt: c.completedAt?.toISOString() ?? null,
    progress,
    createdAt: c.createdAt.toISOString(),
  };
}
