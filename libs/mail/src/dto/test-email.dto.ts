import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

import { MessageEntity, MessageStatus } from '../entities/message.entity';

export class TestEmailDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  to!: string;
}

export class MessageDto {
  id!: string;
  purpose!: string;
  channel!: string;
  toAddress!: string | null;
  status!: MessageStatus;
  skipReason!: string | null;
  attempts!: number;
  lastError!: string | null;
  scheduledAt!: string;
  sentAt!: string | null;
  createdAt!: string;
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
