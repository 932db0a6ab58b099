import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { AppConfig, settingsKeyBytes } from '@app/config';
import {
  ChannelProvider,
  MailSenderService,
  MessageEntity,
  ProviderRequest,
  ProviderResult,
  RenderResult,
} from '@app/mail';
import { openSecret } from '@app/settings';

import { signatureHeader } from './webhook-signature';
import { webhookUrlProblem } from './webhook-url';
import { WebhooksRepository } from './webhooks.repository';

// A receiver gets this long to answer (connect included) before the attempt counts as failed.
const TIMEOUT_MS = 10_000;
const USER_AGENT = 'ButlerCRM-Webhooks/1.0';

// The webhook channel of the outbox: the renderer builds each delivery's JSON body from its message
// (in the claim transaction, with the endpoint's current URL and secret; a deleted or paused
// endpoint skips it), and the provider POSTs it signed (docs/exports-webhooks.md). A 2xx answer is
// delivered; 410 Gone is final; anything else, or no answer, is retried with the outbox's backoff
// (MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS doubling). One receiver being down never opens the channel's
// circuit for the others (no failure here is an `outage`).
@Injectable()
export class WebhookProvider implements ChannelProvider {
  readonly channel = 'webhook' as const;
  private readonly logger = new Logger('Webhooks');

  constructor(
    sender: MailSenderService,
    private readonly repository: WebhooksRepository,
    private readonly config: AppConfig,
  ) {
    sender.registerProvider(this);
    sender.registerBatchRenderer('webhook', (messages, em) => this.renderer(messages, em));
  }

  private async renderer(
    messages: MessageEntity[],
    em: EntityManager,
  ): Promise<(message: MessageEntity) => RenderResult> {
    const ids = [...new Set(messages.map((m) => String(m.context?.endpointId ?? '')))].filter(Boolean);
    const endpoints = new Map((await this.repository.secrets(em, ids)).map((e) => [e.id, e]));
    const key = settingsKeyBytes(this.config.auth.SETTINGS_ENCRYPTION_KEY);
    return (message) => {
      const context = message.context ?? {};
      const endpoint = endpoints.get(String(context.endpointId));
      if (!endpoint) return { skip: 'webhook endpoint deleted' };
      if (!endpoint.active) return { skip: 'webhook endpoint paused' };
      const secret = openSecret(key, endpoint.secret_sealed);
      if (!secret) throw new Error('webhook secret cannot be opened (SETTINGS_ENCRYPTION_KEY changed?)');
      const event = String(context.event);
      // The payload's id is the delivery's id: the same on every retry, so receivers can deduplicate.
      const body = JSON.stringify({ id: message.id, type: event, createdAt: context.occurredAt, data: context.data });
      return { subject: event, text: body, html: '', webhook: { url: endpoint.url, body, event, secret } };
    };
  }

  async send({ message, content }: ProviderRequest): Promise<ProviderResult> {
    const hook = content.webhook;
    if (!hook) return { accepted: false, failure: { kind: 'permanent', reason: 'no webhook content' } };
    // Checked again at send time in production: a name may resolve elsewhere than when it was saved.
    const problem = await webhookUrlProblem(hook.url, this.config.http.NODE_ENV !== 'production');
    if (problem) return { accepted: false, failure: { kind: 'permanent', reason: `url not allowed (${problem})` } };
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': USER_AGENT,
          'butler-webhook-id': message.id,
          'butler-webhook-event': hook.event,
          'butler-signature': signatureHeader(hook.secret, timestamp, hook.body),
        },
        body: hook.body,
      });
      const answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
      if (res.status >= 200 && res.status < 300) return { accepted: true, providerMessageId: `HTTP ${res.status}` };
      const reason = `HTTP ${res.status}${answer ? `: ${answer}` : ''}`;
      return { accepted: false, failure: { kind: res.status === 410 ? 'permanent' : 'retry', reason } };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      this.logger.warn(`Webhook ${message.id} to ${hook.url}: ${reason}`);
      return { accepted: false, failure: { kind: 'retry', reason } };
    }
  }
}
