import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '@app/config';

import { MessageEntity, messageFromRow, MessagePurpose } from './entities/message.entity';
import { DeliveryResult, MailTransportService } from './mail-transport.service';
import { MailRepository } from './mail.repository';
import { classifySendError, SendFailure } from './smtp-errors';
import { renderTemplate } from './templates';

export type SendOutcome = 'sent' | 'failed' | 'retry' | 'not_pending' | 'skipped';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string | null;
  // Runs in the send transaction once the server accepted the message (e.g. a survey link's
  // token hash and its "sent" time are stored only then).
  onSent?: (em: EntityManager) => Promise<void>;
}

// Renders messages of one purpose (e.g. greetings from their campaign's template) at send time,
// or says why the message must not go out after all; null leaves the message to the default
// (its named template, or its stored subject and body). `em` is the send transaction.
export type MessageRenderer = (
  message: MessageEntity,
  em: EntityManager,
) => Promise<RenderedMessage | { skip: string } | null>;

function firstRejection(result: DeliveryResult): SendFailure | null {
  if (result.rejected.length === 0 && result.accepted.length > 0) return null;
  if (result.rejectedErrors.length > 0) return classifySendError(result.rejectedErrors[0]);
  return { kind: 'permanent', reason: `recipient rejected: ${result.rejected.join(', ') || 'no recipient accepted'}` };
}

// Sends one outbox row. The row is locked (FOR UPDATE SKIP LOCKED) for the whole send and marked
// in the same transaction, so two workers, or a retried job, never send it twice. A worker that
// dies mid-send rolls the lock back and the row is sent again later; the Message-ID stays the same.
@Injectable()
export class MailSenderService {
  private readonly logger = new Logger('MailSender');
  private readonly renderers: Partial<Record<MessagePurpose, MessageRenderer>> = {};

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: MailRepository,
    private readonly transport: MailTransportService,
    private readonly config: AppConfig,
  ) {}

  // The feature that owns a purpose's content registers its renderer once, at construction.
  registerRenderer(purpose: MessagePurpose, renderer: MessageRenderer): void {
    if (this.renderers[purpose]) throw new Error(`A renderer for ${purpose} is already registered`);
    this.renderers[purpose] = renderer;
  }

  async sendPending(messageId: string): Promise<{ outcome: SendOutcome; reason?: string }> {
    return this.dataSource.transaction(async (em) => {
      // Plain SQL on this path: it runs once per message of every campaign.
      const rows = await this.repository.lockPending(em, messageId);
      if (!rows[0]) return { outcome: 'not_pending' as const };
      const message = messageFromRow(rows[0]);

      let failure: SendFailure | null;
      let result: DeliveryResult | null = null;
      let onSent: RenderedMessage['onSent'];
      if (!message.toAddress) {
        failure = { kind: 'permanent', reason: 'no recipient address' };
      } else {
        try {
          const rendered = await this.renderers[message.purpose]?.(message, em);
          const content = rendered
            ? rendered
            : message.template
              ? renderTemplate(message.template, message.context ?? {})
              : { subject: message.subject ?? '', text: message.bodyText ?? '', html: message.bodyHtml ?? '' };
          if ('skip' in content) {
            await this.repository.markSkipped(em, message.id, content.skip);
            return { outcome: 'skipped' as const, reason: content.skip };
          }
          if (rendered && !('skip' in rendered)) onSent = rendered.onSent;
          const unsubscribeUrl =
            'unsubscribeUrl' in content && typeof content.unsubscribeUrl === 'string'
              ? content.unsubscribeUrl
              : message.unsubscribeUrl;
          result = await this.transport.send({
            messageId: message.id,
            to: message.toAddress,
            subject: content.subject,
            text: content.text,
            html: content.html,
            unsubscribeUrl,
          });
          failure = firstRejection(result);
        } catch (error) {
          failure = classifySendError(error);
        }
      }

      const attempts = message.attempts + 1;
      if (!failure && result) {
        await this.repository.markSent(em, message.id, attempts, result.providerMessageId.slice(0, 300));
        await onSent?.(em);
        return { outcome: 'sent' as const };
      }
      const final = failure!.kind === 'permanent' || attempts >= this.config.mail.MAIL_MAX_ATTEMPTS;
      await this.repository.markAttempt(em, message.id, final ? 'failed' : 'pending', attempts, failure!.reason);
      if (final) this.logger.warn(`Message ${message.id} failed after ${attempts} attempt(s): ${failure!.reason}`);
      return { outcome: final ? ('failed' as const) : ('retry' as const), reason: failure!.reason };
    });
  }
}
