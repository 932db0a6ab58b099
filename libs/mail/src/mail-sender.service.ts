import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '@app/config';

import type { Channel, ChannelContent, ChannelProvider, ProviderResult } from './channel-provider';
import { EmailProvider } from './email.provider';
import { MessageEntity, messageFromRow, MessagePurpose } from './entities/message.entity';
import { MailRepository } from './mail.repository';
import { classifySendError, SendFailure } from './smtp-errors';
import { renderTemplate } from './templates';

export type SendOutcome = 'sent' | 'failed' | 'retry' | 'not_pending' | 'skipped' | 'held';

export interface RenderedMessage extends ChannelContent {
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

// Sends one outbox row. The row is locked (FOR UPDATE SKIP LOCKED) for the whole send and marked
// in the same transaction, so two workers, or a retried job, never send it twice. A worker that
// dies mid-send rolls the lock back and the row is sent again later; the Message-ID stays the same.
@Injectable()
export class MailSenderService {
  private readonly logger = new Logger('MailSender');
  private readonly renderers: Partial<Record<MessagePurpose, MessageRenderer>> = {};
  private readonly providers: Partial<Record<Channel, ChannelProvider>> = {};

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: MailRepository,
    email: EmailProvider,
    private readonly config: AppConfig,
  ) {
    this.registerProvider(email);
  }

  // Each channel's provider registers once, at construction (email is built in).
  registerProvider(provider: ChannelProvider): void {
    if (this.providers[provider.channel]) throw new Error(`A provider for ${provider.channel} is already registered`);
    this.providers[provider.channel] = provider;
  }

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

      let failure: SendFailure | null = null;
      let result: ProviderResult | null = null;
      let onSent: RenderedMessage['onSent'];
      const provider = this.providers[message.channel as Channel];
      if (!message.toAddress) {
        failure = { kind: 'permanent', reason: 'no recipient address' };
      } else if (!provider) {
        failure = { kind: 'permanent', reason: `no provider for channel ${message.channel}` };
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
          const request = { message, to: message.toAddress, content };
          const admission = (await provider.admit?.(request, em)) ?? null;
          if (admission && 'skip' in admission) {
            await this.repository.markSkipped(em, message.id, admission.skip);
            return { outcome: 'skipped' as const, reason: admission.skip };
          }
          if (admission) {
            await this.repository.markHeld(em, message.id, admission.holdUntil, admission.reason);
            return { outcome: 'held' as const, reason: admission.reason };
          }
          result = await provider.send(request);
          if (!result.accepted) failure = result.failure;
        } catch (error) {
          failure = classifySendError(error);
        }
      }

      const attempts = message.attempts + 1;
      if (!failure && result?.accepted) {
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
