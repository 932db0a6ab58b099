import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { TemplateName } from '../templates';

// pending → sending (claimed by a worker, under a lease) → sent | failed, or back to pending (a
// temporary failure, an outage, a lease whose worker died); pending → skipped.
export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
// What the provider later reported about a sent message (SMS delivery receipts).
// unconfirmed: handed to WeCom as a 群发 task the butler has not confirmed yet.
export const DELIVERY_STATUSES = ['delivered', 'undelivered', 'unconfirmed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

// The outbox: every outbound message is a row here, with a unique key, before anything is queued.
// Workers send from this row and mark it; Redis only carries the message id.
// What a message is for. A purpose whose content is made at send time has a renderer
// (MailSenderService.registerRenderer); the others carry a built-in template or a stored body.
export const MESSAGE_PURPOSES = [
  'test',
  'digest',
  'greeting',
  'survey_invitation',
  'recovery_alert',
  'sla_alert',
  'webhook',
] as const;
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

@Entity('messages')
@Index('IDX_messages_pending', ['scheduledAt'], { where: `status = 'pending'` })
@Index('IDX_messages_customer', ['customerId', 'createdAt'])
@Index('IDX_messages_lease', ['leaseUntil'], { where: 'lease_until IS NOT NULL' })
// One message per campaign and client.
@Index('UQ_messages_campaign_customer', ['campaignId', 'customerId'], {
  unique: true,
  where: 'campaign_id IS NOT NULL',
})
// Campaign progress and batch claiming read by (campaign, status).
@Index('IDX_messages_campaign_status', ['campaignId', 'status'], { where: 'campaign_id IS NOT NULL' })
@Index('IDX_messages_campaign_batch', ['campaignId', 'batchNo'], {
  where: `campaign_id IS NOT NULL AND status = 'pending'`,
})
// SMS sent to one number today (the per-number daily cap).
@Index('IDX_messages_sms_sent', ['toAddress', 'sentAt'], { where: `channel = 'sms' AND status = 'sent'` })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_messages' })
  id!: string;

  // What the message is for, e.g. "test-email:<uuid>" or "greeting:<campaign>:<customer>".
  @Index('UQ_messages_key', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'varchar', length: 40 })
  purpose!: MessagePurpose;

  @Column({ type: 'varchar', length: 20, default: 'email' })
  channel!: string;

  @Column({ type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  campaignId!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  toAddress!: string | null;

  // Either a named template rendered with context at send time, or a ready subject and body.
  @Column({ type: 'varchar', length: 100, nullable: true })
  template!: TemplateName | null;

  @Column({ type: 'jsonb', nullable: true })
  context!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text', nullable: true })
  bodyText!: string | null;

  @Column({ type: 'text', nullable: true })
  bodyHtml!: string | null;

  // Adds List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) headers when set.
  @Column({ type: 'text', nullable: true })
  unsubscribeUrl!: string | null;

  @Column({ type: 'enum', enum: MESSAGE_STATUSES, enumName: 'message_status', default: 'pending' })
  status!: MessageStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  skipReason!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  providerMessageId!: string | null;

  // Delivery receipts (SMS): delivered or undelivered, when, and the carrier's code when it failed.
  @Column({ type: 'varchar', length: 20, nullable: true })
  deliveryStatus!: DeliveryStatus | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  deliveryError!: string | null;

  // While sending: the worker that claimed it (see OutboxLeases) and until when.
  @Column({ type: 'varchar', length: 100, nullable: true })
  leaseOwner!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  scheduledAt!: Date;

  // Campaign messages are sent in batches; planning numbers them.
  @Column({ type: 'int', nullable: true })
  batchNo!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  // When a failed message was put back to pending (retry-failed): it is retried once only.
  @Column({ type: 'timestamptz', nullable: true })
  retriedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

// A messages row as PostgreSQL returns it, for the send path that skips the query builder.
export interface MessageRow {
  id: string;
  key: string;
  purpose: MessagePurpose;
  channel: string;
  customer_id: string | null;
  campaign_id: string | null;
  to_address: string | null;
  template: TemplateName | null;
  context: Record<string, unknown> | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  unsubscribe_url: string | null;
  status: MessageStatus;
  skip_reason: string | null;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  delivery_status?: DeliveryStatus | null;
  delivered_at?: Date | null;
  delivery_error?: string | null;

  lease_owner: string | null;
  lease_until: Date | null;
  scheduled_at: Date;
  batch_no: number | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function messageFromRow(row: MessageRow): MessageEntity {
  return Object.assign(new MessageEntity(), {
    id: row.id,
    key: row.key,
    purpose: row.purpose,
    channel: row.channel,
    customerId: row.customer_id,
    campaignId: row.campaign_id,
    toAddress: row.to_address,
    template: row.template,
    context: row.context,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    unsubscribeUrl: row.unsubscribe_url,
    status: row.status,
    skipReason: row.skip_reason,
    attempts: row.attempts,
    lastError: row.last_error,
    providerMessageId: row.provider_message_id,
    deliveryStatus: row.delivery_status ?? null,
    deliveredAt: row.delivered_at ?? null,
    deliveryError: row.delivery_error ?? null,

    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    scheduledAt: row.scheduled_at,
    batchNo: row.batch_no,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
