import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { isDatabaseUnavailable } from '@app/common';
import { AppConfig } from '@app/config';

import { ChannelCircuit } from './channel-circuit';
import type { Channel, ChannelContent, ChannelProvider, ProviderResult } from './channel-provider';
import { EmailProvider } from './email.provider';
import { MessageEntity, messageFromRow, MessagePurpose } from './entities/message.entity';
import { MailRepository } from './mail.repository';
import { OutboxLeases } from './outbox-leases';
import { classifySendError } from './smtp-errors';
import { renderTemplate } from './templates';

// paused: the channel's provider is unreachable (its circuit is open); the message waits, pending,
// with its attempts unchanged, and its job runs again after the probe interval.
// held: a rule of the channel's provider (an SMS greeting at night) put it off, pending, to a later
// scheduled_at, with its attempts unchanged.
export type SendOutcome = 'sent' | 'failed' | 'retry' | 'paused' | 'not_pending' | 'skipped' | 'held';

export interface RenderedMessage extends ChannelContent {
  // Runs in the mark transaction once the provider accepted the message (e.g. a survey link's
  // token hash and its "sent" time are stored only then).
  onSent?: (em: EntityManager) => Promise<void>;
}

// Renders messages of one purpose (e.g. greetings from their campaign's template) at send time,
// or says why the message must not go out after all; null leaves the message to the default
// (its named template, or its stored subject and body). `em` is the claim transaction, which
// holds the message's row lock.
export type MessageRenderer = (
  message: MessageEntity,
  em: EntityManager,
) => Promise<RenderedMessage | { skip: string } | null>;

type Claimed = {
  message: MessageEntity;
  provider: ChannelProvider;
  content: ChannelContent;
  onSent?: RenderedMessage['onSent'];
};

// A mark that PostgreSQL could not take is tried again after this, doubling up to the cap.
const MARK_RETRY_FIRST_MS = 100;
const MARK_RETRY_MAX_MS = 2_000;

// Sends one outbox row in three steps (docs/architecture.md, "Outbox v2"):
// 1. claim: a short transaction locks the pending row (FOR UPDATE SKIP LOCKED), renders it, and
//    sets it `sending` under a lease naming this worker;
// 2. send: the provider is called with no database connection held;
// 3. mark: a second short transaction records the outcome. If PostgreSQL is away the outcome is
//    kept in memory and the mark tried again until it lands: what a provider accepted is never
//    sent again. Only a worker that dies between the provider's acceptance and its mark leaves a
//    lease that goes back to pending and is sent again (same Message-ID / idempotency key).
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
    private readonly circuit: ChannelCircuit,
    private readonly leases: OutboxLeases,
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

  // Does `channel`'s provider take several messages in one call (sendPendingMany)?
  sendsTogether(channel: string): boolean {
    return typeof this.providers[channel as Channel]?.sendMany === 'function';
  }

  // Sends several rows together, for a provider that takes them in one call (sendMany). Each row is
  // claimed and marked on its own, as sendPending does; the provider is called once with every row
  // claimed. A claim that finds PostgreSQL away stops the claims: what was claimed is still sent
  // and marked, then the error is the caller's.
  async sendPendingMany(messageIds: string[]): Promise<{ outcome: SendOutcome; reason?: string }[]> {
    const outcomes = new Map<string, { outcome: SendOutcome; reason?: string }>();
    const claimed: Claimed[] = [];
    let failure: unknown = null;
    for (const id of messageIds) {
      try {
        const result = await this.claim(id);
        if ('outcome' in result) outcomes.set(id, result);
        else {
          this.leases.held.add(id);
          claimed.push(result);
        }
      } catch (error) {
        failure = error;
        break;
      }
    }
    try {
      const byProvider = new Map<ChannelProvider, Claimed[]>();
      for (const c of claimed) byProvider.set(c.provider, [...(byProvider.get(c.provider) ?? []), c]);
      for (const [provider, group] of byProvider) {
        const requests = group.map((c) => ({ message: c.message, to: c.message.toAddress!, content: c.content }));
        let results: ProviderResult[];
        try {
          results = provider.sendMany
            ? await provider.sendMany(requests)
            : await Promise.all(requests.map((r) => provider.send(r)));
        } catch (error) {
          const failed: ProviderResult = { accepted: false, failure: classifySendError(error) };
          results = requests.map(() => failed);
        }
        if (results.some((r) => r.accepted || r.failure.kind !== 'outage'))
          await this.circuit.reportReachable(provider.channel);
        for (const [i, c] of group.entries())
          outcomes.set(c.message.id, await this.mark(c.message, results[i], c.onSent));
      }
    } finally {
      for (const c of claimed) this.leases.held.delete(c.message.id);
    }
    if (failure) throw failure;
    return messageIds.map((id) => outcomes.get(id) ?? { outcome: 'not_pending' as const });
  }

  // How long a paused message's job waits before it asks again.
  get pauseMs(): number {
    return this.circuit.probeIntervalMs;
  }

  async sendPending(messageId: string): Promise<{ outcome: SendOutcome; reason?: string }> {
    let claimed: Awaited<ReturnType<typeof this.claim>>;
    try {
      claimed = await this.claim(messageId);
    } catch (error) {
      // The claim may have reached its lease (held) before PostgreSQL went away.
      this.leases.held.delete(messageId);
      throw error;
    }
    if ('outcome' in claimed) return claimed;
    try {
      const { message, provider, content, onSent } = claimed;
      let result: ProviderResult;
      try {
        result = await provider.send({ message, to: message.toAddress!, content });
      } catch (error) {
        result = { accepted: false, failure: classifySendError(error) };
      }
      if (result.accepted || result.failure.kind !== 'outage') await this.circuit.reportReachable(provider.channel);
      return await this.mark(message, result, onSent);
    } finally {
      this.leases.held.delete(messageId);
    }
  }

  // Step 1, in one short transaction: lock, check the channel's circuit, render, lease.
  private async claim(messageId: string): Promise<Claimed | { outcome: SendOutcome; reason?: string }> {
    return this.dataSource.transaction(async (em) => {
      // Plain SQL on this path: it runs once per message of every campaign.
      const rows = await this.repository.lockPending(em, messageId);
      if (!rows[0]) return { outcome: 'not_pending' as const };
      const message = messageFromRow(rows[0]);
      const provider = this.providers[message.channel as Channel];
      const attempts = message.attempts + 1;
      const fail = async (reason: string) => {
        await this.repository.markAttempt(em, message.id, 'failed', attempts, reason, null);
        this.logger.warn(`Message ${message.id} failed: ${reason}`);
        return { outcome: 'failed' as const, reason };
      };
      if (!message.toAddress) return fail('no recipient address');
      if (!provider) return fail(`no provider for channel ${message.channel}`);

      const gate = await this.circuit.gate(provider.channel);
      if (!gate.pass) {
        if (this.circuit.overdue(gate.outage, message.scheduledAt))
          return fail(`${provider.channel} provider unreachable since ${gate.outage.since}`);
        return { outcome: 'paused' as const, reason: gate.outage.reason };
      }

      let content: ChannelContent;
      let onSent: RenderedMessage['onSent'];
      try {
        const rendered = await this.renderers[message.purpose]?.(message, em);
        if (rendered && 'skip' in rendered) {
          await this.repository.markSkipped(em, message.id, rendered.skip);
          return { outcome: 'skipped' as const, reason: rendered.skip };
        }
        content = rendered
          ? rendered
          : message.template
            ? renderTemplate(message.template, message.context ?? {})
            : { subject: message.subject ?? '', text: message.bodyText ?? '', html: message.bodyHtml ?? '' };
        onSent = rendered?.onSent;
      } catch (error) {
        // Rendering failed (a bug or bad data): counted as an attempt, like a refusal.
        const { reason } = classifySendError(error);
        const final = attempts >= this.config.mail.MAIL_MAX_ATTEMPTS;
        await this.repository.markAttempt(em, message.id, final ? 'failed' : 'pending', attempts, reason, null);
        return { outcome: final ? ('failed' as const) : ('retry' as const), reason };
      }
      // The channel's own rules (SMS: a mainland mobile, no marketing at night, a daily cap per
      // number), in this transaction: skip for good, or hold until later without spending an attempt.
      const admission = (await provider.admit?.({ message, to: message.toAddress, content }, em)) ?? null;
      if (admission && 'skip' in admission) {
        await this.repository.markSkipped(em, message.id, admission.skip);
        return { outcome: 'skipped' as const, reason: admission.skip };
      }
      if (admission) {
        await this.repository.markHeld(em, message.id, admission.holdUntil, admission.reason);
        return { outcome: 'held' as const, reason: admission.reason };
      }
      // Held from before the commit: should the commit land unseen, the lease is released later.
      await this.repository.claim(em, message.id, this.leases.owner, this.config.mail.OUTBOX_LEASE_MS);
      return { message, provider, content, onSent };
    });
  }

  // Step 3: record what the provider said, in a second short transaction, retried while
  // PostgreSQL is away.
  private async mark(
    message: MessageEntity,
    result: ProviderResult,
    onSent: RenderedMessage['onSent'],
  ): Promise<{ outcome: SendOutcome; reason?: string }> {
    const attempts = message.attempts + 1;
    if (result.accepted) {
      const providerMessageId = result.providerMessageId.slice(0, 300);
      try {
        await this.untilMarked(message.id, () =>
          this.dataSource.transaction(async (em) => {
            if (await this.repository.markSent(em, message.id, attempts, providerMessageId)) await onSent?.(em);
          }),
        );
      } catch (error) {
        // The follow-up write failed for a reason of its own (not the database away): the
        // message went out, and that is recorded regardless.
        this.logger.error(`Message ${message.id} sent; recording what follows failed: ${(error as Error).message}`);
        await this.untilMarked(message.id, () =>
          this.dataSource.transaction((em) => this.repository.markSent(em, message.id, attempts, providerMessageId)),
        );
      }
      return { outcome: 'sent' };
    }
    const { failure } = result;
    if (failure.kind === 'outage') {
      // It never left: back to pending with its attempts unchanged; the circuit pauses the channel.
      const outage = await this.circuit.reportOutage(message.channel as Channel, failure.reason);
      if (this.circuit.overdue(outage, message.scheduledAt)) {
        const reason = `${message.channel} provider unreachable since ${outage.since}: ${failure.reason}`;
        await this.untilMarked(message.id, () =>
          this.dataSource.transaction((em) =>
            this.repository.markAttempt(em, message.id, 'failed', attempts, reason, this.leases.owner),
          ),
        );
        this.logger.warn(`Message ${message.id} failed: ${reason}`);
        return { outcome: 'failed', reason };
      }
      await this.untilMarked(message.id, () =>
        this.dataSource.transaction((em) =>
          this.repository.markAttempt(em, message.id, 'pending', message.attempts, failure.reason, this.leases.owner),
        ),
      );
      return { outcome: 'paused', reason: failure.reason };
    }
    const final = failure.kind === 'permanent' || attempts >= this.config.mail.MAIL_MAX_ATTEMPTS;
    await this.untilMarked(message.id, () =>
      this.dataSource.transaction((em) =>
        this.repository.markAttempt(
          em,
          message.id,
          final ? 'failed' : 'pending',
          attempts,
          failure.reason,
          this.leases.owner,
        ),
      ),
    );
    if (final) this.logger.warn(`Message ${message.id} failed after ${attempts} attempt(s): ${failure.reason}`);
    return { outcome: final ? 'failed' : 'retry', reason: failure.reason };
  }

  // Runs `write` until PostgreSQL takes it; any other error is the caller's.
  private async untilMarked(messageId: string, write: () => Promise<unknown>): Promise<void> {
    let delay = MARK_RETRY_FIRST_MS;
    for (let tries = 1; ; tries++) {
      try {
        await write();
        if (tries > 1) this.logger.log(`Message ${messageId}: outcome recorded after ${tries} tries`);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        if (tries === 1) this.logger.warn(`Message ${messageId}: database away, its outcome is kept until it is back`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MARK_RETRY_MAX_MS);
      }
    }
  }
}
