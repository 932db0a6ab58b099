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

// capped: WeCom would have reached the client, but its month's 4 群发 messages are used up and no
// other consented channel reaches them.
export type ContactRefusal = 'customer_deleted' | 'no_consent' | 'no_channel' | 'capped';

// The sources of a client's own withdrawal (withdrawConsent): the email unsubscribe link and an SMS
// uplink "T". A file imported later never turns back on what a client withdrew themselves.
export const CLIENT_WITHDRAWAL_SOURCES = ['unsubscribe', 'sms_uplink'] as const;

export type ConsentColumn = `consent_${ContactPurpose}_${Channel}`;

export type ContactRow = {
  deleted_at: Date | null;
  email: string | null;
  mobile: string | null;
  preferred_channel: Channel | null;
  // WeCom: the client's external contact id, whether their butler is bound to a WeCom userid, and
  // how many 群发 messages went to them this calendar month (Asia/Shanghai). Absent: not reachable
  // on WeCom (an older reader), and 0 sent.
  external_user_id?: string | null;
  butler_wecom_bound?: boolean;
  wecom_month_count?: number;
} & Partial<Record<ConsentColumn, boolean>>;

// WeCom lets an enterprise send a client at most this many 企业群发 messages per calendar month.
export const WECOM_MONTHLY_LIMIT = 4;

// The WeCom facts of a client, as SQL over a customers alias: its butler bound to a WeCom userid
// (an active user), and its WeCom messages handed to WeCom (sending or sent) since the start of
// the database's current month in Shanghai (the clock that writes sent_at, as the SMS daily cap).
export interface WecomFactsSql {
  bound: string;
  monthCount: string;
}
export const wecomFactsSql = (alias: string): WecomFactsSql => ({
  bound: `EXISTS (SELECT 1 FROM users wu
      WHERE wu.id = ${alias}.butler_id AND wu.active AND wu.wecom_user_id IS NOT NULL)`,
  monthCount: `(SELECT count(*)::int FROM messages wm
      WHERE wm.customer_id = ${alias}.id AND wm.channel = 'wecom' AND wm.status IN ('sending', 'sent')
        AND wm.sent_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`,
});

// A mainland China mobile (the API's own rule, MOBILE_PATTERN), the only kind an SMS goes to; an
// imported or older number that is not one never gets an SMS.
const MAINLAND_MOBILE_SQL = `'^1[3-9][0-9]{9}$'`;

// The column of one purpose on one channel: consent_greetings_sms.
export const consentColumn = (purpose: ContactPurpose, channel: Channel): ConsentColumn =>
  `consent_${purpose}_${channel}`;

// The customers columns the rule reads, for a SELECT list over `alias` (with the WeCom facts).
export const contactColumnsSql = (alias: string): string =>
  [
    ...[
      'deleted_at',
      'email',
      'mobile',
      'preferred_channel',
      'external_user_id',
      ...CONTACT_PURPOSES.flatMap((p) => CHANNELS.map((ch) => consentColumn(p, ch))),
    ].map((c) => `${alias}.${c}`),
    `${wecomFactsSql(alias).bound} AS butler_wecom_bound`,
    `${wecomFactsSql(alias).monthCount} AS wecom_month_count`,
  ].join(', ');

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

// Where a message on `channel` goes: the email; a mainland mobile; WeCom's external user id, when
// the client's butler is bound to WeCom (a 群发 task is sent as the butler).
export function addressOn(
  row: Pick<ContactRow, 'email' | 'mobile' | 'external_user_id' | 'butler_wecom_bound'>,
  channel: Channel,
): string | null {
  switch (channel) {
    case 'email':
      return row.email || null;
    case 'sms':
      return row.mobile && MOBILE_PATTERN.test(row.mobile) ? row.mobile : null;
    case 'wecom':
      return row.external_user_id && row.butler_wecom_bound ? row.external_user_id : null;
  }
}

export const addressOnSql = (alias: string, channel: Channel, wecom = wecomFactsSql(alias)): string => {
  switch (channel) {
    case 'email':
      return `NULLIF(${alias}.email, '')`;
    case 'sms':
      return `CASE WHEN ${alias}.mobile ~ ${MAINLAND_MOBILE_SQL} THEN ${alias}.mobile END`;
    case 'wecom':
      return `CASE WHEN ${alias}.external_user_id IS NOT NULL AND ${wecom.bound} THEN ${alias}.external_user_id END`;
  }
};

// Does a message on `channel` still fit the channel's own limit? WeCom: the month's 4 群发 messages.
function withinLimit(row: Pick<ContactRow, 'wecom_month_count'>, channel: Channel): boolean {
  return channel !== 'wecom' || (row.wecom_month_count ?? 0) < WECOM_MONTHLY_LIMIT;
}

export type ContactChoice = { channel: Channel; address: string } | { refusal: ContactRefusal };

// The channels tried in turn: the preferred one, then the order (each once).
function candidates(preferred: Channel | null, order: readonly Channel[]): Channel[] {
  return [...new Set([...(preferred ? [preferred] : []), ...order])];
}

export function chooseChannel(row: ContactRow, purpose: ContactPurpose, order: readonly Channel[]): ContactChoice {
  if (row.deleted_at) return { refusal: 'customer_deleted' };
  for (const channel of candidates(row.preferred_channel, order)) {
    const address = hasConsent(row, purpose, channel) && withinLimit(row, channel) ? addressOn(row, channel) : null;
    if (address) return { channel, address };
  }
  const tried = candidates(row.preferred_channel, order);
  if (tried.includes('wecom') && hasConsent(row, purpose, 'wecom') && addressOn(row, 'wecom'))
    return { refusal: 'capped' };
  return { refusal: CHANNELS.some((ch) => hasConsent(row, purpose, ch)) ? 'no_channel' : 'no_consent' };
}

// The same choice in SQL: the channel's name, or the refusal's. `order` is inlined (it is
// settings.channels.order, validated against CHANNELS). `wecom`: the WeCom facts as SQL (by default
// read from users and messages; a test passes columns).
export function chooseChannelSql(
  alias: string,
  purpose: ContactPurpose,
  order: readonly Channel[],
  wecom = wecomFactsSql(alias),
): string {
  const limit = (ch: Channel) => (ch === 'wecom' ? ` AND ${wecom.monthCount} < ${WECOM_MONTHLY_LIMIT}` : '');
  const reaches = (ch: Channel) =>
    `${consentSql(alias, purpose, ch)} AND ${addressOnSql(alias, ch, wecom)} IS NOT NULL${limit(ch)}`;
  const valid = order.filter((ch) => (CHANNELS as readonly string[]).includes(ch));
  return `CASE WHEN ${alias}.deleted_at IS NOT NULL THEN 'customer_deleted'
    ${CHANNELS.map((ch) => `WHEN ${alias}.preferred_channel = '${ch}' AND ${reaches(ch)} THEN '${ch}'`).join('\n    ')}
    ${valid.map((ch) => `WHEN ${reaches(ch)} THEN '${ch}'`).join('\n    ')}
    WHEN ${valid.includes('wecom') ? 'true' : `${alias}.preferred_channel = 'wecom'`}
      AND ${consentSql(alias, purpose, 'wecom')} AND ${addressOnSql(alias, 'wecom', wecom)} IS NOT NULL THEN 'capped'
    WHEN ${CHANNELS.map((ch) => consentSql(alias, purpose, ch)).join(' OR ')} THEN 'no_channel'
    ELSE 'no_consent' END`;
}

// The address of a choice made by chooseChannelSql (`choice`, an SQL expression); NULL for a refusal.
export const choiceAddressSql = (alias: string, choice: string, wecom = wecomFactsSql(alias)): string =>
  `CASE ${choice} ${CHANNELS.map((ch) => `WHEN '${ch}' THEN ${addressOnSql(alias, ch, wecom)}`).join(' ')} END`;

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
