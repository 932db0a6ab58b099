import { FESTIVAL_KEYS, type FestivalKey, type Settings, type SettingsSection } from '../../api/admin';
import { splitApiError } from './apiErrors';

// Each settings section is its own form; saving sends only that section, with exactly the fields the
// API knows (it refuses unknown ones), cadence steps in day order and festivals in calendar order.

// A cleared number input gives null: sent as is, so the API names the field that is missing.
type Loose<T> = {
  [K in keyof T]: T[K] extends number ? number | null : T[K] extends (infer U)[] ? Loose<U>[] | U[] : T[K];
};
export type SectionValues<S extends SettingsSection> = Loose<Settings[S]>;

const FIELDS: { [S in SettingsSection]: (keyof Settings[S])[] } = {
  followUps: ['cadence', 'dueHour', 'skipOverdueAfterDays'],
  surveys: [
    'afterFollowUp',
    'afterCase',
    'afterContactKinds',
    'cooldownDays',
    'delayMinutes',
    'expiryDays',
    'addressChangeDays',
    'earlyCompletionHours',
    'sessionLookbackDays',
  ],
  touch: ['maxDaysByTier'],
  caps: ['greetingMinDays', 'maxMessagesPerDays'],
  channels: ['order'],
  churn: ['k', 'singlePurchaseDays', 'detractorDays'],
  festivals: ['enabled', 'daysAhead', 'autoConfirm', 'sendHour', 'birthdays', 'digest'],
  sms: ['templates', 'maxPerNumberPerDay'],
  // The secrets are write-only (WECOM_SECRETS): the form starts them empty, and sends one only when typed.
  wecom: ['corpId', 'agentId', 'enabled'],
  sla: ['cases', 'recoveryHours', 'managerAfterHours', 'adminAfterHours'],
};

// WeCom's secrets: never read back (GET says only whether each is set); empty leaves it as stored.
export const WECOM_SECRETS = ['contactSecret', 'agentSecret', 'callbackToken', 'encodingAesKey'] as const;

type SmsTemplate = { code: string; text: string; params?: string[] };
// In the form the positional order (Tencent Cloud) is a list, empty when none was given.
type SmsTemplateForm = { code: string; text: string; params: string[] };
type SmsTemplates = Settings['sms']['templates'];
// A template the form shows as inputs; code and text empty means "none" (null) to the API.
const templateToForm = (t: SmsTemplate | null): SmsTemplateForm => ({
  code: t?.code ?? '',
  text: t?.text ?? '',
  params: t?.params ?? [],
});
// An empty order is none (the order the text names its variables in).
const paramsOf = (params: string[] | undefined): { params?: string[] } => {
  const names = (params ?? []).map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 ? { params: names } : {};
};
const formToTemplate = (t: Partial<SmsTemplateForm> | null | undefined): SmsTemplate | null => {
  const code = (t?.code ?? '').trim();
  const text = (t?.text ?? '').trim();
  return code === '' && text === '' ? null : { code, text, ...paramsOf(t?.params) };
};

export function sectionFields<S extends SettingsSection>(section: S): string[] {
  return section === 'wecom' ? [...(FIELDS[section] as string[]), ...WECOM_SECRETS] : (FIELDS[section] as string[]);
}

export function sectionToForm<S extends SettingsSection>(settings: Settings, section: S): SectionValues<S> {
  const source = settings[section] as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  if (section === 'sms') {
    const templates = settings.sms.templates;
    return {
      maxPerNumberPerDay: settings.sms.maxPerNumberPerDay,
      templates: {
        greetings: templates.greetings.map((g) => ({ ...templateToForm(g), occasion: g.occasion })),
        surveyInvitation: templateToForm(templates.surveyInvitation),
        recoveryAlert: templateToForm(templates.recoveryAlert),
      },
    } as unknown as SectionValues<S>;
  }
  if (section === 'wecom') for (const name of WECOM_SECRETS) values[name] = '';
  for (const field of FIELDS[section] as string[]) {
    const value = source[field];
    values[field] = Array.isArray(value)
      ? value.map((v: unknown) => (typeof v === 'object' && v !== null ? { ...v } : v))
      : value;
  }
  return values as SectionValues<S>;
}

export function formToSectionBody<S extends SettingsSection>(section: S, values: SectionValues<S>): Partial<Settings> {
  const raw = values as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of FIELDS[section] as string[]) picked[field] = raw[field] === undefined ? null : raw[field];
  if (section === 'followUps') {
    const steps = (picked.cadence as { days: number | null; title?: string | null }[] | null) ?? [];
    picked.cadence = steps
      .filter((s): s is { days: number | null; title?: string | null } => !!s)
      .map((s) => ({ days: s.days ?? null, title: (s.title ?? '').trim() }))
      // Sorted by day; the API keeps them as sent and a step list reads in day order.
      .sort((a, b) => (a.days ?? Infinity) - (b.days ?? Infinity));
  }
  if (section === 'festivals') {
    const enabled = new Set((picked.enabled as string[] | null) ?? []);
    picked.enabled = FESTIVAL_KEYS.filter((key: FestivalKey) => enabled.has(key));
  }
  if (section === 'wecom') {
    const corpId = typeof picked.corpId === 'string' ? picked.corpId.trim() : null;
    picked.corpId = corpId || null;
    picked.agentId = picked.agentId ?? null;
    picked.enabled = picked.enabled === true;
    for (const name of WECOM_SECRETS) {
      const value = typeof raw[name] === 'string' ? (raw[name] as string).trim() : '';
      if (value) picked[name] = value;
    }
  }
  if (section === 'sms') {
    const templates = (picked.templates ?? {}) as Partial<Record<keyof SmsTemplates, unknown>>;
    const greetings = ((templates.greetings as (Partial<SmsTemplateForm> & { occasion?: string })[] | undefined) ?? [])
      .filter((g) => !!g)
      .map((g) => ({
        occasion: g.occasion ?? null,
        code: (g.code ?? '').trim(),
        text: (g.text ?? '').trim(),
        ...paramsOf(g.params),
      }));
    picked.templates = {
      greetings,
      surveyInvitation: formToTemplate(templates.surveyInvitation as Partial<SmsTemplateForm> | null),
      recoveryAlert: formToTemplate(templates.recoveryAlert as Partial<SmsTemplateForm> | null),
    };
  }
  return { [section]: picked } as Partial<Settings>;
}

// "surveys.cooldownDays must not be less than 0" → the cooldownDays field of the surveys form;
// "followUps.cadence.1.title should not be empty" → cadence[1].title.
export function sectionErrors(section: SettingsSection, error: unknown) {
  return splitApiError(error, { prefix: section, known: sectionFields(section) });
}
