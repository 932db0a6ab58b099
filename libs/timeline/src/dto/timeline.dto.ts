import { ApiProperty } from '@nestjs/swagger';

import { MessageDto } from '@app/mail';

import type { TimelineEvent } from '../timeline.service';

export const TIMELINE_TYPES = [
  'purchase',
  'message',
  'interaction',
  'follow_up',
  'case',
  'survey_response',
  'assignment',
  'wecom',
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
      'channel, status, subject, skipReason}; interaction {kind, channel, outcome, summary, butlerId, butlerName, ' +
      'recordedBy, recordedByName, followUpId, caseId}; follow_up {kind, title, dueAt, status, butlerId}; ' +
      'case {caseType, priority, status, summary, butlerId, purchaseId, resolvedAt, closedAt}; ' +
      'survey_response {csat, nps, reliability, responsiveness, assurance, empathy, tangibles, comment, butlerId, ' +
      'source}; assignment {fromButlerId, toButlerId, by}; wecom {changeType, butlerId, butlerName} (a WeCom ' +
      'external-contact change: the client added, edited or deleted the butler, or the butler the client)',
  })
  data!: Record<string, unknown>;
}

// One row of a client's delivery log (GET /messages?customerId=): the outbox's message, and the
// campaign it belongs to.
export class DeliveryLogEntryDto extends MessageDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;
}
