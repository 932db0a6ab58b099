import { MOBILE_PATTERN } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';

// Consent to contact and the channel a message goes by, once (docs/channels.md, "Channels and
// consent"). A client on the books is sent a message of a purpose on the first channel that they
// consented to for that purpose and that reaches them: their preferred channel, else the fallback
// order of settings.channels.order. None: skipped `no_consent` (no yes to the purpose on any channel)
// or `no_channel` (a yes, but no address on a consented channel of the order). As TypeScript over a
// customers row (snake_case, as queried) and as SQL over a customers alias;
// test/business-rules.e2e-spec.ts checks they agree.
export type ContactPurpose = 'greetings' | 'surveys';
export const CONTACT_PURPOSES = ['greetings', 'surveys'] as const satisfies readonly ContactPurpose[];

export type ContactRefusal = 'customer_deleted' | 'no_consent' | 'no_channel';

// The sources of a client's own withdrawal (withdrawConsent): the email unsubscribe link and an SMS
// uplink "T". A file imported later never turns back on what a client withdrew themselves.
export const CLIENT_WITHDRAWAL_SOURCES = ['unsubscribe', 'sms_uplink'] as const;

export type ConsentColumn = `consent_${ContactPurpose}_${Channel}`;

export type ContactRow = {
  deleted_at: Date | null;
  email: string | null;
  mobile: string | null;
  preferred_channel: Channel | null;
} & Partial<Record<ConsentColumn, boolean>>;

// A mainland China mobile (the API's own rule, MOBILE_PATTERN), the only kind an SMS goes to; an
// imported or older number that is not one never gets an SMS.
const MAINLAND_MOBILE_SQL = `'^1[3-9][0-9]{9}$'`;

// The column of one purpose on one channel: consent_greetings_sms.
export const consentColumn = (purpose: ContactPurpose, channel: Channel): ConsentColumn =>
  `consent_${purpose}_${channel}`;

// The customers columns the rule reads, for a SELECT list over `alias`.
export const contactColumnsSql = (alias: string): string =>
  [
    'deleted_at',
    'email',
    'mobile',
    'preferred_channel',
    ...CONTACT_PURPOSES.flatMap((p) => CHANNELS.map((ch) => consentColumn(p, ch))),
  ]
    .map((c) => `${alias}.${c}`)
    .join(', ');

export function hasConsent(row: Partial<Record<ConsentColumn, boolean>>, purpose: ContactPurpose, channel: Channel) {
  return row[consentColumn(purpose, channel)] === true;
}

export const consentSql = (alias: string, purpose: ContactPurpose, channel: Channel): string =>
  `${alias}.${consentColumn(purpose, channel)}`;

// Consent to the purpose on the channel named by an SQL expression (a message's m.channel).
export const consentOnChannelSql = (alias: string, purpose: ContactPurpose, channelExpr: string): string => {
  const cases = CHANNELS.map((ch) => `WHEN '${ch}' THEN ${consentSql(alias, purpose, ch)}`).join(' ');
  return `COALESCE(CASE ${channelExpr} ${cases} END, false)`;
};

// Where a message on `channel` goes: the email; a mainland mobile; WeCom's external user id, which
// the book does not hold yet (never reachable today).
export function addressOn(row: Pick<ContactRow, 'email' | 'mobile'>, channel: Channel): string | null {
  switch (channel) {
    case 'email':
      return row.email || null;
    case 'sms':
      return row.mobile && MOBILE_PATTERN.test(row.mobile) ? row.mobile : null;
    case 'wecom':
      return null;
  }
}

export const addressOnSql = (alias: string, channel: Channel): string => {
  switch (channel) {
    case 'email':
      return `NULLIF(${alias}.email, '')`;
    case 'sms':
      return `CASE WHEN ${alias}.mobile ~ ${MAINLAND_MOBILE_SQL} THEN ${alias}.mobile END`;
    case 'wecom':
      return `NULL::text`;
  }
};

export type ContactChoice = { channel: Channel; address: string } | { refusal: ContactRefusal };

// The channels tried in turn: the preferred one, then the order (each once).
function candidates(preferred: Channel | null, order: readonly Channel[]): Channel[] {
  return [...new Set([...(preferred ? [preferred] : []), ...order])];
}

export function chooseChannel(row: ContactRow, purpose: ContactPurpose, order: readonly Channel[]): ContactChoice {
  if (row.deleted_at) return { refusal: 'customer_deleted' };
  for (const channel of candidates(row.preferred_channel, order)) {
    const address = hasConsent(row, purpose, channel) ? addressOn(row, channel) : null;
    if (address) return { channel, address };
  }
  return { refusal: CHANNELS.some((ch) => hasConsent(row, purpose, ch)) ? 'no_channel' : 'no_consent' };
}

// The same choice in SQL: the channel's name, or the refusal's. `order` is inlined (it is
// settings.channels.order, validated against CHANNELS).
export function chooseChannelSql(alias: string, purpose: ContactPurpose, order: readonly Channel[]): string {
  const reaches = (ch: Channel) => `${consentSql(alias, purpose, ch)} AND ${addressOnSql(alias, ch)} IS NOT NULL`;
  const valid = order.filter((ch) => (CHANNELS as readonly string[]).includes(ch));
  return `CASE WHEN ${alias}.deleted_at IS NOT NULL THEN 'customer_deleted'
    ${CHANNELS.map((ch) => `WHEN ${alias}.preferred_channel = '${ch}' AND ${reaches(ch)} THEN '${ch}'`).join('\n    ')}
    ${valid.map((ch) => `WHEN ${reaches(ch)} THEN '${ch}'`).join('\n    ')}
    WHEN ${CHANNELS.map((ch) => consentSql(alias, purpose, ch)).join(' OR ')} THEN 'no_channel'
    ELSE 'no_consent' END`;
}

// The address of a choice made by chooseChannelSql (`choice`, an SQL expression); NULL for a refusal.
export const choiceAddressSql = (alias: string, choice: string): string =>
  `CASE ${choice} ${CHANNELS.map((ch) => `WHEN '${ch}' THEN ${addressOnSql(alias, ch)}`).join(' ')} END`;

export const isChannel = (value: string | null | undefined): value is Channel =>
  (CHANNELS as readonly string[]).includes(value ?? '');

// At send time, for a message planned on `channel` to `address`: is it still allowed? The client may
// have been deleted, withdrawn consent on that channel, or changed that address since.
export function sendRefusal(
  row: ContactRow,
  purpose: ContactPurpose,
  channel: Channel,
  address: string | null,
): 'customer_deleted' | 'no_consent' | 'address_changed' | null {
  if (row.deleted_at) return 'customer_deleted';
  if (!hasConsent(row, purpose, channel)) return 'no_consent';
  if (addressOn(row, channel) !== address) return 'address_changed';
  return null;
}
