import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

import {
  MESSAGE_PURPOSES,
  MESSAGE_STATUSES,
  MessageEntity,
  MessagePurpose,
  MessageStatus,
} from '../entities/message.entity';

export class TestEmailDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  to!: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: MESSAGE_PURPOSES })
  purpose!: MessagePurpose;

  @ApiProperty({ example: 'email' })
  channel!: string;

  @ApiProperty({ type: String, nullable: true })
  toAddress!: string | null;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: MessageStatus;

  @ApiProperty({ type: String, nullable: true })
  skipReason!: string | null;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  scheduledAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class TestEmailResultDto extends MessageDto {
  // Whether it reached the queue at once; if not, it stays recorded and the reconciler queues it.
  @ApiProperty()
  queued!: boolean;
}

export function mapMessage(m: MessageEntity): MessageDto {
  return {
    id: m.id,
    purpose: m.purpose,
    channel: m.channel,
    toAddress: m.toAddress,
    status: m.status,
    skipReason: m.skipReason,
    attempts: m.attempts,
    lastError: m.lastError,
    scheduledAt: m.scheduledAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}
