import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

import { PageQueryDto } from '@app/common';
import { MESSAGE_STATUSES, MessageStatus } from '@app/mail';

import { WEBHOOK_EVENTS, WebhookEndpointEntity, WebhookEvent } from '../entities/webhook-endpoint.entity';

export class CreateWebhookDto {
  // http(s); in production not a private or loopback address (400 naming `url` otherwise).
  @ApiProperty({ maxLength: 254, example: 'https://bi.example.com/hooks/butler' })
  @IsString()
  @MaxLength(254)
  url!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: WebhookEvent[];
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  url?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  description?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: WebhookEvent[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events!: WebhookEvent[];

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

// Made or rotated: the signing secret, shown this once (stored sealed, never returned again).
export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ description: 'whsec_…: signs every delivery (Butler-Signature); shown only now' })
  secret!: string;
}

export function mapWebhook(e: WebhookEndpointEntity): WebhookDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    active: e.active,
    createdAt: e.createdAt.toISOString(),
  };
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  endpointId?: string;

  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES)
  status?: MessageStatus;
}

// One delivery (an outbox message): where, which event, how it went.
export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the Butler-Webhook-Id header and the payload id' })
  id!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  endpointId!: string | null;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS })
  event!: WebhookEvent;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: MessageStatus;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's last HTTP status, if it answered" })
  responseCode!: number | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;
}
