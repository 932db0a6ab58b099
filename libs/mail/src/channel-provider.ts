import type { EntityManager } from 'typeorm';

import type { MessageEntity } from './entities/message.entity';
import type { SendFailure } from './smtp-errors';

// The channels a message can go out on. Each has one provider, behind this interface, that hands
// the rendered message to the outside service (SMTP, an SMS gateway, WeCom) over HTTP or SMTP
// with a configurable base URL, so tests point it at a fake on loopback.
export const CHANNELS = ['email', 'sms', 'wecom'] as const;
export type Channel = (typeof CHANNELS)[number];
// The channels above reach clients (consent, preferred channel); `webhook` reaches the systems an
// admin configured (libs/webhooks) through the same outbox.
export const PROVIDER_CHANNELS = [...CHANNELS, 'webhook'] as const;
export type ProviderChannel = (typeof PROVIDER_CHANNELS)[number];

// What a renderer made of a message for its channel. Email uses subject, text and html; other
// channels add their own fields (an SMS carries its approved template code and variables).
export interface ChannelContent {
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string | null;
  sms?: { templateCode: string; params: Record<string, string> };
  // A webhook delivery: where it goes, the JSON body, and the endpoint's secret that signs it.
  webhook?: { url: string; body: string; event: string; secret: string };
}

export interface ProviderRequest {
  // message.id is the idempotency key (email: the Message-ID): a provider that takes one passes it,
  // so the one copy the outbox can send twice (a worker dead between acceptance and mark) is dropped.
  message: MessageEntity;
  to: string;
  content: ChannelContent;
}

// Accepted: the provider took the message (for email, the SMTP server said 250) and named it.
// Refused: `failure.kind` says whether to try again later (`retry`), never (`permanent`), or
// whether the provider itself is unreachable (`outage`: connection refused, timeouts, "try later").
export type ProviderResult = { accepted: true; providerMessageId: string } | { accepted: false; failure: SendFailure };

// Before sending, a provider may apply its channel's rules (SMS: a mainland mobile, no marketing
// at night, a daily cap per number): go ahead (null), skip the message for good with a reason, or
// hold it, still pending, until a later time (no attempt is spent). `em` is the send transaction.
export type ProviderAdmission = null | { skip: string } | { holdUntil: Date; reason: string };

export interface ChannelProvider {
  readonly channel: ProviderChannel;
  admit?(request: ProviderRequest, em: EntityManager): Promise<ProviderAdmission>;
  send(request: ProviderRequest): Promise<ProviderResult>;
  // A provider that hands several messages over in one call (WeCom: one 群发 task per butler)
  // takes a campaign batch's messages of its channel together: one result per request, in order.
  sendMany?(requests: ProviderRequest[]): Promise<ProviderResult[]>;
}
