import { ApiProperty } from '@nestjs/swagger';

import { MESSAGE_STATUSES, type MessageStatus } from '@app/mail';

import type { TimelineEvent } from '../timeline.service';

export const TIMELINE_TYPES = [
  'purchase',
  'message',
  'interaction',
  'follow_up',
  'case',
  'survey_response',
  'assignment',
] as const;

export class TimelineEventDto implements TimelineEvent {
  @ApiProperty({ enum: TIMELINE_TYPES })
  type!: (typeof TIMELINE_TYPES)[number];

  // The id of the purchase, message, interaction, follow-up, case, survey response or audit row.
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "The event's fields, by type: purchase {orderRef, channel, totalFen, butlerId, items}; message {purpose, " +
      'channel, status, subject, skipReason}; interaction {kind, channel, outcome, summary, butlerId, followUpId, ' +
      'caseId}; follow_up {kind, title, dueAt, status, butlerId}; case {caseType, priority, status, summary, ' +
      'butlerId, purchaseId, resolvedAt, closedAt}; survey_response {csat, nps, reliability, responsiveness, ' +
      'assurance, empathy, tangibles, comment, butlerId, source}; assignment {fromButlerId, toButlerId, by}',
  })
  data!: Record<string, unknown>;
}

// One row of a client's delivery log (GET /messages?customerId=).
export class DeliveryLogEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'greeting' })
  purpose!: string;

  @ApiProperty({ example: 'email' })
  channel!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;

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
