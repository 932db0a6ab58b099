import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength } from 'class-validator';

import { LoginResultDto } from '@app/auth';
import { PageQueryDto } from '@app/common';
import { CustomerDto } from '@app/customers';

import {
  TRANSFER_KINDS,
  TRANSFER_REASONS,
  TRANSFER_STATUSES,
  TransferKind,
  TransferReason,
  TransferStatus,
} from '../entities/wecom-transfer.entity';

// WeCom's OAuth2 code (网页授权), from the sidebar's URL, and the page's URL to sign the JS-SDK for
// in the same round trip.
export class WecomSignInDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/)
  @ApiProperty({ pattern: '^[A-Za-z0-9_-]{1,512}$' })
  code!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @ApiPropertyOptional({ maxLength: 2048, description: 'The page URL (without #fragment) to sign wx.config for' })
  url?: string;
}

export class WecomJsConfigQueryDto {
  // The page's URL without its #fragment, as the JS-SDK signs it.
  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @ApiProperty({ maxLength: 2048, example: 'https://crm.example.com/wecom/sidebar' })
  url!: string;
}

export class WecomSignatureDto {
  @ApiProperty({ description: 'Seconds since the epoch' })
  timestamp!: number;

  @ApiProperty()
  nonceStr!: string;

  @ApiProperty({ description: 'sha1 of jsapi_ticket=…&noncestr=…&timestamp=…&url=…' })
  signature!: string;
}

// What the sidebar passes to wx.config (signed with the corp's jsapi_ticket) and wx.agentConfig
// (signed with the app's agent_config ticket).
export class WecomJsConfigDto {
  @ApiProperty()
  corpId!: string;

  @ApiProperty()
  agentId!: string;

  @ApiProperty({ type: () => WecomSignatureDto })
  config!: WecomSignatureDto;

  @ApiProperty({ type: () => WecomSignatureDto })
  agentConfig!: WecomSignatureDto;
}

// An external contact and the client it is bound to (null: not bound, or not the caller's).
export class WecomContactDto {
  @ApiProperty()
  externalUserId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  customerId!: string | null;

  // The client itself, so the chat toolbar shows who it is without another request.
  @ApiProperty({ type: () => CustomerDto, nullable: true })
  customer!: CustomerDto | null;
}

export class BindWecomContactDto {
  @IsUUID()
  @ApiProperty({ format: 'uuid' })
  customerId!: string;
}

export class ListWecomTransfersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(TRANSFER_STATUSES)
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES })
  status?: TransferStatus;
}

export class WecomTransferDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  customerId!: string;

  @ApiProperty()
  customerName!: string;

  @ApiProperty({ enum: TRANSFER_KINDS })
  kind!: TransferKind;

  @ApiProperty({ format: 'uuid' })
  fromButlerId!: string;

  @ApiProperty()
  fromButlerName!: string;

  @ApiProperty({ format: 'uuid' })
  toButlerId!: string;

  @ApiProperty()
  toButlerName!: string;

  @ApiProperty({ enum: TRANSFER_STATUSES })
  status!: TransferStatus;

  // Why it was not attempted or did not go through.
  @ApiProperty({ enum: TRANSFER_REASONS, nullable: true })
  reason!: TransferReason | null;

  @ApiProperty({ type: 'integer', nullable: true, description: "WeCom's errcode, when WeCom refused it" })
  errcode!: number | null;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  takeoverAt!: string | null;
}

// The sidebar's session, with the JS-SDK signatures for the URL it gave (null without one).
export class WecomSessionDto extends LoginResultDto {
  @ApiProperty({ type: () => WecomJsConfigDto, nullable: true })
  jsConfig!: WecomJsConfigDto | null;
}
