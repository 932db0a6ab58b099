import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { isDatabaseUnavailable } from '@app/common';
import { AppConfig } from '@app/config';
import { OUTBOX_DATA_SOURCE } from '@app/database';

import { ChannelCircuit } from './channel-circuit';
import type { ChannelContent, ChannelProvider, ProviderChannel, ProviderResult } from './channel-provider';
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

export type RenderResult = RenderedMessage | { skip: string } | null;

// Renders messages of one purpose (e.g. greetings from their campaign's template) at send time,
// or says why the message must not go out after all; null leaves the message to the default
// (its named template, or its stored subject and body). `em` is the claim transaction, which
// holds the message's row lock.
export type MessageRenderer = (message: MessageEntity, em: EntityManager) => Promise<RenderResult>;

// The same for the messages of one claim at once: reads what they need in one statement on the
// claim transaction `em`, then renders each (an error thrown for one message counts against it
// alone). Campaigns use it: one read per claim instead of one per message.
export type BatchRenderer = (
  messages: MessageEntity[],
  em: EntityManager,
) => Promise<(message: MessageEntity) => RenderResult | Promise<RenderResult>>;

export interface SendResult {
  id: string;
  outcome: SendOutcome;
  reason?: string;
}

type Claimed = {
  message: MessageEntity;
  provider: ChannelProvider;
  content: ChannelContent;
  onSent?: RenderedMessage['onSent'];
};

// A sent message waiting for its mark (group-committed with the others that arrived meanwhile).
type SentMark = {
  id: string;
  attempts: number;
  providerMessageId: string;
  onSent?: RenderedMessage['onSent'];
  done: () => void;
  failed: (error: unknown) => void;
};

// A mark that PostgreSQL could not take is tried again after this, doubling up to the cap.
const MARK_RETRY_FIRST_MS = 100;
const MARK_RETRY_MAX_MS = 2_000;
// Messages claimed in one transaction by sendMany, per lane: a campaign's lanes send them, then
// claim more.
const CLAIM_PER_LANE = 3;
// At most this many sent messages marked in one statement.
const MARK_GROUP_MAX = 500;
// A mark waits this long for others to share its statement (sends end one by one: without it
// nearly every statement marked one message).
const MARK_LINGER_MS = 10;
// Marks count as a stream (and linger) when the last was written less than this ago.
const MARK_STREAM_MS = 100;

// Sends outbox rows in three steps (docs/architecture.md, "Outbox v2"):
// 1. claim: a short transaction locks the pending rows (FOR UPDATE SKIP LOCKED), renders them,
//    and sets them `sending` under a lease naming this worker (a campaign's batch claims three
//    messages per lane at once: one statement each to lock, to read what rendering needs, to lease);
// 2. send: the provider is called with no database connection held;
// 3. mark: a second short statement (or transaction, with a follow-up write) records the outcome.
//    Accepted messages are group-committed: those accepted within MARK_LINGER_MS, or while the
//    previous mark was being written, are marked by one statement. If PostgreSQL is away the
//    outcome is kept in memory and the mark tried again until it lands: what a provider accepted
//    is never sent again. Only a worker that dies between the provider's acceptance and its mark
//    (MARK_LINGER_MS plus at most one mark being written) leaves a lease that goes back to pending
//    and is sent again (same Message-ID / idempotency key).
@Injectable()
export class MailSenderService {
  private readonly logger = new Logger('MailSender');
  private readonly renderers: Partial<Record<MessagePurpose, BatchRenderer>> = {};
  // Accepted messages waiting for their mark, and whether a mark is being written.
  private readonly sentMarks: SentMark[] = [];
  private marking = false;
  private markTimer: NodeJS.Timeout | null = null;
  private lastMarkAt = 0;
  private readonly providers: Partial<Record<ProviderChannel, ChannelProvider>> = {};

  constructor(
    // The sending lanes' own pool: claims and marks never queue behind the API's reads.
    @InjectDataSource(OUTBOX_DATA_SOURCE) private readonly dataSource: DataSource,
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
    this.registerBatchRenderer(purpose, async (_, em) => (message) => renderer(message, em));
  }

  registerBatchRenderer(purpose: MessagePurpose, renderer: BatchRenderer): void {
    if (this.renderers[purpose]) throw new Error(`A renderer for ${purpose} is already registered`);
    this.renderers[purpose] = renderer;
  }

  // Does `channel`'s provider take several messages in one call (sendPendingMany)?
  sendsTogether(channel: string): boolean {
    return typeof this.providers[channel as ProviderChannel]?.sendMany === 'function';
  }

  // Sends several rows together, for a provider that takes them in one call (sendMany): claimed in
  // one transaction, as sendMany claims, the provider called once with every row claimed, each row
  // marked on its own. A claim that finds PostgreSQL away takes nothing: the error is the caller's.
  async sendPendingMany(messageIds: string[]): Promise<{ outcome: SendOutcome; reason?: string }[]> {
    const outcomes = new Map<string, { outcome: SendOutcome; reason?: string }>();
    let taken: (Claimed | SendResult)[];
    try {
      taken = await this.claim(messageIds);
    } catch (error) {
      // The claim may have reached its leases (held) before PostgreSQL went away.
      for (const id of messageIds) this.leases.held.delete(id);
      throw error;
    }
    const claimed: Claimed[] = [];
    for (const r of taken) {
      if ('outcome' in r) outcomes.set(r.id, { outcome: r.outcome, reason: r.reason });
      else claimed.push(r);
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
    return messageIds.map((id) => outcomes.get(id) ?? { outcome: 'not_pending' as const });
  }

  // How long a paused message's job waits before it asks again.
  get pauseMs(): number {
    return this.circuit.probeIntervalMs;
  }

  async sendPending(messageId: string): Promise<{ outcome: SendOutcome; reason?: string }> {
    const [result] = await this.sendMany([messageId], 1);
    return { outcome: result.outcome, reason: result.reason };
  }

  // Sends these messages, `lanes` at once; each message's outcome. They are claimed
  // CLAIM_PER_LANE × lanes at a time (a claim is one transaction whatever its size; the send-time
  // checks of a claimed message are at most that many sends old when it goes out). A lane goes on to
  // its next message while the last one's mark is written (a mark is queued the moment the provider
  // accepts, whatever the lane does next; all are written before this returns). Stops claiming at
  // an outage (the channel's circuit open, or a send finding the provider away): the rest stays
  // pending. Throws when PostgreSQL is away for a claim, once the messages already claimed were sent
  // and marked (nothing of that claim was taken).
  async sendMany(ids: string[], lanes: number): Promise<SendResult[]> {
    const results: SendResult[] = [];
    const marks: Promise<void>[] = [];
    // An outage (the circuit open at a claim, or found by a send) stops claiming; one found by a
    // send also stops sending: claimed messages not sent yet go back to pending, unsent.
    let outage: string | null = null;
    let sendOutage: string | null = null;
    let failure: unknown = null;
    const size = CLAIM_PER_LANE * lanes;
    for (let start = 0; start < ids.length && outage === null && !failure; start += size) {
      const chunk = ids.slice(start, start + size);
      let claimed: (Claimed | SendResult)[];
      try {
        claimed = await this.claim(chunk);
      } catch (error) {
        // The claim may have reached its leases (held) before PostgreSQL went away.
        for (const id of chunk) this.leases.held.delete(id);
        failure = error;
        break;
      }
      const toSend: Claimed[] = [];
      for (const r of claimed) {
        if (!('outcome' in r)) toSend.push(r);
        else {
          results.push(r);
          // The channel's circuit is open: what this claim leased (a probe) goes out, then nothing more.
          if (r.outcome === 'paused') outage ??= r.reason ?? 'provider unreachable';
        }
      }
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < toSend.length) {
          const claim = toSend[next++];
          const result = await this.send(claim, sendOutage);
          if (!result.accepted && result.failure.kind === 'outage') {
            sendOutage ??= result.failure.reason;
            outage ??= result.failure.reason;
          }
          marks.push(
            this.mark(claim.message, result, claim.onSent)
              .then((marked) => void results.push({ id: claim.message.id, ...marked }))
              // Not PostgreSQL away (a mark waits that out): a bug, thrown once the rest is marked.
              .catch((error: unknown) => void (failure ??= error))
              .finally(() => this.leases.held.delete(claim.message.id)),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(lanes, toSend.length) }, lane));
    }
    await Promise.all(marks);
    if (failure) throw failure;
    return results;
  }

  // Step 2 for one claimed message, with no database connection held. With `outage` set (a send of
  // the same claim found the provider away) it is not sent: it goes back to pending, attempts unchanged.
  private async send(claimed: Claimed, outage: string | null): Promise<ProviderResult> {
    const { message, provider, content } = claimed;
    if (outage !== null) return { accepted: false, failure: { kind: 'outage', reason: outage } };
    let result: ProviderResult;
    try {
      result = await provider.send({ message, to: message.toAddress!, content });
    } catch (error) {
      result = { accepted: false, failure: classifySendError(error) };
    }
    if (result.accepted || result.failure.kind !== 'outage') await this.circuit.reportReachable(provider.channel);
    return result;
  }

  // Step 1, in one short transaction: lock, check the channels' circuits, render, lease.
  private async claim(ids: string[]): Promise<(Claimed | SendResult)[]> {
    return this.dataSource.transaction(async (em) => {
      // Plain SQL on this path: it runs for every message of every campaign.
      const rows = await this.repository.lockPending(em, ids);
      const locked = new Set(rows.map((r) => r.id));
      const results: (Claimed | SendResult)[] = ids
        .filter((id) => !locked.has(id))
        .map((id) => ({ id, outcome: 'not_pending' as const }));
      const fail = async (message: MessageEntity, reason: string): Promise<SendResult> => {
        await this.repository.markAttempt(em, message.id, 'failed', message.attempts + 1, reason, null);
        this.logger.warn(`Message ${message.id} failed: ${reason}`);
        return { id: message.id, outcome: 'failed', reason };
      };
      // Checks that need no rendering first: an address, a provider, the channel's circuit.
      const ready: { message: MessageEntity; provider: ChannelProvider }[] = [];
      for (const message of rows.map(messageFromRow)) {
        const provider = this.providers[message.channel as ProviderChannel];
        if (!message.toAddress) results.push(await fail(message, 'no recipient address'));
        else if (!provider) results.push(await fail(message, `no provider for channel ${message.channel}`));
        else {
          const gate = await this.circuit.gate(provider.channel);
          if (gate.pass) ready.push({ message, provider });
          else if (this.circuit.overdue(gate.outage, message.scheduledAt))
            results.push(await fail(message, `${provider.channel} provider unreachable since ${gate.outage.since}`));
          else results.push({ id: message.id, outcome: 'paused', reason: gate.outage.reason });
        }
      }
      // Each purpose's renderer reads what its messages need at once.
      const renders = new Map<MessagePurpose, (message: MessageEntity) => RenderResult | Promise<RenderResult>>();
      for (const purpose of new Set(ready.map((r) => r.message.purpose))) {
        const renderer = this.renderers[purpose];
        if (renderer)
          renders.set(
            purpose,
            await renderer(
              ready.filter((r) => r.message.purpose === purpose).map((r) => r.message),
              em,
            ),
          );
      }
      const leased: Claimed[] = [];
      for (const { message, provider } of ready) {
        const attempts = message.attempts + 1;
        let content: ChannelContent;
        let onSent: RenderedMessage['onSent'];
        try {
          const rendered = await renders.get(message.purpose)?.(message);
          if (rendered && 'skip' in rendered) {
            await this.repository.markSkipped(em, message.id, rendered.skip);
            results.push({ id: message.id, outcome: 'skipped', reason: rendered.skip });
            continue;
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
          results.push({ id: message.id, outcome: final ? 'failed' : 'retry', reason });
          continue;
        }
        // The channel's own rules (SMS: a mainland mobile, no marketing at night, a daily cap per
        // number), in this transaction: skip for good, or hold until later without spending an attempt.
        const admission = (await provider.admit?.({ message, to: message.toAddress!, content }, em)) ?? null;
        if (admission && 'skip' in admission) {
          await this.repository.markSkipped(em, message.id, admission.skip);
          results.push({ id: message.id, outcome: 'skipped', reason: admission.skip });
        } else if (admission) {
          await this.repository.markHeld(em, message.id, admission.holdUntil, admission.reason);
          results.push({ id: message.id, outcome: 'held', reason: admission.reason });
        } else {
          leased.push({ message, provider, content, onSent });
        }
      }
      if (leased.length > 0) {
        // Held from before the commit: should the commit land unseen, the leases are released later.
        for (const { message } of leased) this.leases.held.add(message.id);
        await this.repository.claim(
          em,
          leased.map((c) => c.message.id),
          this.leases.owner,
          this.config.mail.OUTBOX_LEASE_MS,
        );
      }
      return [...results, ...leased];
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
      await this.markSent({
        id: message.id,
        attempts,
        providerMessageId: result.providerMessageId.slice(0, 300),
        onSent,
      });
      return { outcome: 'sent' };
    }
    const { failure } = result;
    if (failure.kind === 'outage') {
      // It never left: back to pending with its attempts unchanged; the circuit pauses the channel.
      const outage = await this.circuit.reportOutage(message.channel as ProviderChannel, failure.reason);
      if (this.circuit.overdue(outage, message.scheduledAt)) {
        const reason = `${message.channel} provider unreachable since ${outage.since}: ${failure.reason}`;
        await this.untilMarked(`Message ${message.id}`, () =>
          this.dataSource.transaction((em) =>
            this.repository.markAttempt(em, message.id, 'failed', attempts, reason, this.leases.owner),
          ),
        );
        this.logger.warn(`Message ${message.id} failed: ${reason}`);
        return { outcome: 'failed', reason };
      }
      await this.untilMarked(`Message ${message.id}`, () =>
        this.dataSource.transaction((em) =>
          this.repository.markAttempt(em, message.id, 'pending', message.attempts, failure.reason, this.leases.owner),
        ),
      );
      return { outcome: 'paused', reason: failure.reason };
    }
    const final = failure.kind === 'permanent' || attempts >= this.config.mail.MAIL_MAX_ATTEMPTS;
    await this.untilMarked(`Message ${message.id}`, () =>
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

  // Group commit: the mark of a sent message is written with every other one that arrived within
  // MARK_LINGER_MS (in a stream of marks; a lone one is written at once) or while the previous
  // mark was being written, in one statement (one transaction when a message has a
  // follow-up write). Resolves once its mark is committed.
  private markSent(mark: Omit<SentMark, 'done' | 'failed'>): Promise<void> {
    return new Promise((done, failed) => {
      this.sentMarks.push({ ...mark, done, failed });
      if (this.marking || this.markTimer) return;
      // A lone message (nothing marked lately) is marked at once; in a stream, marks wait to share.
      if (Date.now() - this.lastMarkAt > MARK_STREAM_MS) {
        void this.writeSentMarks();
        return;
      }
      this.markTimer = setTimeout(() => {
        this.markTimer = null;
        void this.writeSentMarks();
      }, MARK_LINGER_MS);
    });
  }

  private async writeSentMarks(): Promise<void> {
    this.marking = true;
    this.lastMarkAt = Date.now();
    try {
      while (this.sentMarks.length > 0) {
        const group = this.sentMarks.splice(0, MARK_GROUP_MAX);
        try {
          await this.writeSentGroup(group);
          for (const mark of group) mark.done();
        } catch (error) {
          for (const mark of group) mark.failed(error);
        }
      }
    } finally {
      this.marking = false;
    }
  }

  private async writeSentGroup(group: SentMark[]): Promise<void> {
    const label = group.length === 1 ? `Message ${group[0].id}` : `${group.length} messages`;
    try {
      if (!group.some((m) => m.onSent)) {
        await this.untilMarked(label, () => this.repository.markSent(this.dataSource.manager, group));
        return;
      }
      await this.untilMarked(label, () =>
        this.dataSource.transaction(async (em) => {
          const marked = await this.repository.markSent(em, group);
          for (const mark of group) if (marked.has(mark.id)) await mark.onSent?.(em);
        }),
      );
    } catch (error) {
      // A follow-up write failed for a reason of its own (not the database away): each message on
      // its own, so the others keep theirs; a message whose follow-up fails is recorded sent regardless.
      this.logger.error(`Recording what follows ${label} failed: ${(error as Error).message}; one by one`);
      for (const mark of group) await this.writeSentAlone(mark);
    }
  }

  private async writeSentAlone(mark: SentMark): Promise<void> {
    try {
      await this.untilMarked(`Message ${mark.id}`, () =>
        this.dataSource.transaction(async (em) => {
          if ((await this.repository.markSent(em, [mark])).has(mark.id)) await mark.onSent?.(em);
        }),
      );
    } catch (error) {
      this.logger.error(`Message ${mark.id} sent; recording what follows failed: ${(error as Error).message}`);
      await this.untilMarked(`Message ${mark.id}`, () => this.repository.markSent(this.dataSource.manager, [mark]));
    }
  }

  // Runs `write` until PostgreSQL takes it; any other error is the caller's.
  private async untilMarked(label: string, write: () => Promise<unknown>): Promise<void> {
    let delay = MARK_RETRY_FIRST_MS;
    for (let tries = 1; ; tries++) {
      try {
        await write();
        if (tries > 1) this.logger.log(`${label}: outcome recorded after ${tries} tries`);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        if (tries === 1) this.logger.warn(`${label}: database away, the outcome is kept until it is back`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MARK_RETRY_MAX_MS);
      }
    }
  }
}
