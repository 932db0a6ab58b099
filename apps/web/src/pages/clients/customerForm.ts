import type { Calendar, CreateCustomerBody, Customer, Gender, UpdateCustomerBody } from '../../api/customers';
import type { Tier } from '../../api/types';

export const CHANNELS = ['email', 'sms', 'wecom'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelAnswers = Record<Channel, boolean>;
const PURPOSES = ['greetings', 'surveys'] as const;
const EMAIL_ONLY: ChannelAnswers = { email: true, sms: false, wecom: false };

// The client form's values: the birthday is entered as year (optional) / month / day in its own
// calendar, and becomes the API's { date: 'YYYY-MM-DD' | 'MM-DD', calendar, leapMonth }.
export interface CustomerFormValues {
  name: string;
  mobile?: string | null;
  email?: string | null;
  gender?: Gender | null;
  birthday: {
    calendar: Calendar | 'none';
    year?: number | null;
    month?: number | null;
    day?: number | null;
    leapMonth?: boolean;
  };
  city?: string | null;
  wechatId?: string | null;
  // 企业微信 external_userid (the contact sync usually sets it).
  externalUserId?: string | null;
  tier: Tier;
  tags: string[];
  // Consent per purpose and channel (邮件 / 短信 / 企业微信).
  consent: { greetings: ChannelAnswers; surveys: ChannelAnswers; source?: string | null };
  preferredChannel?: Channel | null;
  notes?: string | null;
  butlerId?: string | null;
}

export const emptyCustomerForm: CustomerFormValues = {
  name: '',
  birthday: { calendar: 'none', leapMonth: false },
  tier: 'regular',
  tags: [],
  consent: { greetings: { ...EMAIL_ONLY }, surveys: { ...EMAIL_ONLY }, source: 'store' },
};

const pad = (n: number) => String(n).padStart(2, '0');
const text = (v: string | null | undefined) => (typeof v === 'string' ? v.trim() : '');

export function birthdayDate(year: number | null | undefined, month: number, day: number): string {
  return year ? `${year}-${pad(month)}-${pad(day)}` : `${pad(month)}-${pad(day)}`;
}

// The consent answers the user changed since the form loaded `loaded`, or undefined when none.
// Consent is not sent back as loaded: a form opened before the client unsubscribed (退订) would
// otherwise turn greetings back on when the butler saves a notes change. An answer changed alone
// is sent alone, so a stale other answer cannot ride along; an unchanged source is left out (the
// API records the butler as the source of a change).
export function consentChanges(
  values: CustomerFormValues['consent'],
  loaded: CustomerFormValues['consent'],
): UpdateCustomerBody['consent'] {
  const changes: NonNullable<UpdateCustomerBody['consent']> = {};
  for (const purpose of PURPOSES) {
    for (const channel of CHANNELS) {
      if (!!values[purpose][channel] === !!loaded[purpose][channel]) continue;
      changes.channels = { ...changes.channels };
      changes.channels[purpose] = { ...changes.channels[purpose], [channel]: !!values[purpose][channel] };
    }
  }
  const source = text(values.source);
  if (source && source !== text(loaded.source)) changes.source = source;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

// Create: empty fields are left out. Update: an emptied field is sent as null, so it is cleared,
// and consent only as far as it changed from `loaded`, the client as the form loaded it.
export function toCustomerBody(values: CustomerFormValues, mode: 'create'): CreateCustomerBody;
export function toCustomerBody(
  values: CustomerFormValues,
  mode: 'update',
  loaded: CustomerFormValues,
): UpdateCustomerBody;
export function toCustomerBody(
  values: CustomerFormValues,
  mode: 'create' | 'update',
  loaded?: CustomerFormValues,
): CreateCustomerBody | UpdateCustomerBody {
  const empty = mode === 'create' ? undefined : null;
  const optional = (v: string | null | undefined) => text(v) || empty;
  const b = values.birthday;
  // Built as the wider of the two: the create's butlerId, the update's nulls and partial consent.
  const body: UpdateCustomerBody & Pick<CreateCustomerBody, 'butlerId'> = {
    name: text(values.name),
    mobile: optional(values.mobile),
    email: optional(values.email),
    gender: values.gender ?? empty,
    birthday:
      b.calendar === 'none' || !b.month || !b.day
        ? empty
        : {
            date: birthdayDate(b.year, b.month, b.day),
            calendar: b.calendar,
            ...(b.calendar === 'lunar' ? { leapMonth: !!b.leapMonth } : {}),
          },
    city: optional(values.city),
    wechatId: optional(values.wechatId),
    externalUserId: optional(values.externalUserId),
    tier: values.tier,
    tags: [...new Set(values.tags.map((t) => t.trim()).filter(Boolean))],
    consent:
      mode === 'update' && loaded
        ? consentChanges(values.consent, loaded.consent)
        : {
            channels: { greetings: { ...values.consent.greetings }, surveys: { ...values.consent.surveys } },
            ...(text(values.consent.source) ? { source: text(values.consent.source) } : {}),
          },
    // Create: none is left out; update: none clears the preference.
    preferredChannel: values.preferredChannel ?? empty,
    notes: values.notes ?? '',
  };
  if (mode === 'create' && values.butlerId) body.butlerId = values.butlerId;
  for (const key of Object.keys(body) as (keyof typeof body)[]) if (body[key] === undefined) delete body[key];
  return body;
}

export function fromCustomer(c: Customer): CustomerFormValues {
  const match = c.birthday ? /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(c.birthday.date) : null;
  return {
    name: c.name,
    mobile: c.mobile,
    email: c.email,
    gender: c.gender,
    birthday:
      c.birthday && match
        ? {
            calendar: c.birthday.calendar,
            year: match[1] ? Number(match[1]) : null,
            month: Number(match[2]),
            day: Number(match[3]),
            leapMonth: c.birthday.leapMonth,
          }
        : { calendar: 'none', leapMonth: false },
    city: c.city,
    wechatId: c.wechatId,
    externalUserId: c.externalUserId,
    tier: c.tier,
    tags: c.tags,
    consent: {
      greetings: { ...c.consent.channels.greetings },
      surveys: { ...c.consent.channels.surveys },
      source: c.consent.source,
    },
    preferredChannel: c.preferredChannel,
    notes: c.notes,
    butlerId: c.butlerId,
  };
}

// Where an API field's message goes in this form.
export function customerFieldName(apiField: string): (string | number)[] | null {
  if (apiField === 'birthday' || apiField === 'birthday.date') return ['birthday', 'month'];
  if (apiField.startsWith('birthday.')) return ['birthday', apiField.slice('birthday.'.length)];
  if (apiField === 'consent') return ['consent', 'source'];
  // consent.channels.greetings.sms → the form's consent.greetings.sms
  if (apiField.startsWith('consent.channels.')) return ['consent', ...apiField.split('.').slice(2)];
  return apiField.split('.');
}
