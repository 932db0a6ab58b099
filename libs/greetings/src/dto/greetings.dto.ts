import { ApiProperty } from '@nestjs/swagger';
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

import { FESTIVAL_KEYS } from '@app/calendar';
import { AROMA_TYPES } from '@app/catalog';
import { IsOffsetDateTime, trimString } from '@app/common';
import { TIERS } from '@app/customers';

import { CampaignEntity } from '../entities/campaign.entity';
import { TemplateEntity } from '../entities/template.entity';

export const OCCASIONS = [...FESTIVAL_KEYS, 'birthday', 'custom'] as const;
// Birthday campaigns are made by the daily care round only: it alone addresses the clients whose
// birthday is that day. A manual one would wish every client of its audience 生日快乐.
export const CAMPAIGN_OCCASIONS = [...FESTIVAL_KEYS, 'custom'] as const;

export class CreateTemplateDto {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: OCCASIONS })
  @IsIn(OCCASIONS)
  occasion!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subject!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body!: string;

  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateTemplateDto {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subject?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body?: string;

  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class PreviewQueryDto {
  // Render for this client (one the caller may see); a sample client otherwise.
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

export class AudienceDto {
  // all: every client the caller may address (a manager: their team); butler: one butler's clients.
  @ApiProperty({ enum: ['all', 'team', 'butler'] })
  @IsIn(['all', 'team', 'butler'])
  scope!: 'all' | 'team' | 'butler';

  @IsOptional()
  @IsUUID()
  butlerId?: string;

  // For an admin addressing one manager's team.
  @IsOptional()
  @IsUUID()
  managerId?: string;

  @ApiProperty({ enum: TIERS, isArray: true, required: false })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsIn(TIERS, { each: true })
  tiers?: string[];

  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  tags?: string[];

  @ApiProperty({ enum: AROMA_TYPES, isArray: true, required: false })
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
  name!: string;

  @ApiProperty({ enum: CAMPAIGN_OCCASIONS })
  @IsIn(CAMPAIGN_OCCASIONS, {
    message: ({ value }: ValidationArguments) =>
      value === 'birthday'
        ? 'occasion birthday is not allowed: birthday greetings are created by the daily care round for the clients whose birthday it is'
        : `occasion must be one of the following values: ${CAMPAIGN_OCCASIONS.join(', ')}`,
  })
  occasion!: string;

  @IsUUID()
  templateId!: string;

  @ApiProperty({ example: '2027-09-15T09:00:00+08:00' })
  @IsOffsetDateTime()
  sendAt!: string;

  // An object, not an array: ValidateNested passes an empty array through.
  @IsObject()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;

  // Saved as a draft: nothing is sent until it is confirmed.
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

export class UpdateCampaignDto {
  // confirm a draft, or cancel a campaign that has not finished.
  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  @IsIn(['scheduled', 'cancelled'])
  status!: 'scheduled' | 'cancelled';
}

export interface TemplateDto {
  id: string;
  name: string;
  occasion: string;
  subject: string;
  body: string;
  isDefault: boolean;
  active: boolean;
  updatedAt: string;
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

export interface CampaignProgress {
  audience: number;
  pending: number;
  sent: number;
  failed: number;
  skipped: number;
  skippedBy: Record<string, number>;
}

export interface CampaignDto {
  id: string;
  name: string;
  occasion: string;
  templateId: string | null;
  subject: string;
  sendAt: string;
  audience: CampaignEntity['audience'];
  status: CampaignEntity['status'];
  managerId: string | null;
  audienceCount: number | null;
  plannedAt: string | null;
  completedAt: string | null;
  progress: CampaignProgress | null;
  createdAt: string;
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
