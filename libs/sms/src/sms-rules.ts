import { addDays, shanghaiDay, shanghaiHourMinute, shanghaiTime } from '@app/common';
import { SMS_OPT_OUT, templateVariables } from '@app/settings';

// The opt-out line and the template variables are the settings' (which check templates with them).
export { SMS_OPT_OUT, templateVariables };

// The rules Chinese carriers and law put on SMS, once, for the provider, the settings and the
// console's preview (docs/channels.md).

// A mainland mobile: 11 digits starting 13-19, with or without +86 / 0086 / 86 and separators.
// Returns the 11 digits, or null for anything else (a landline, a foreign number, a typo).
export function mainlandMobile(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/[\s()-]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

// Marketing SMS (greetings) are never delivered between 20:00 and 08:00 Asia/Shanghai.
export const SMS_QUIET_HOURS = { from: '20:00', to: '08:00' } as const;

// When a marketing SMS may go out: `at` itself, or the next 08:00 Shanghai when `at` is at night.
export function marketingSendTime(at: Date): Date {
  const time = shanghaiHourMinute(at);
  if (time >= SMS_QUIET_HOURS.from) return shanghaiTime(addDays(shanghaiDay(at), 1), 8);
  if (time < SMS_QUIET_HOURS.to) return shanghaiTime(shanghaiDay(at), 8);
  return at;
}

// What a client may send back to opt out ("T", "TD", "退订", any case, stray spaces or punctuation).
export function isOptOut(content: string): boolean {
  const word = content
    .replace(/[\s\p{P}]/gu, '')
    .toUpperCase()
    .trim();
  return word === 'T' || word === 'TD' || word === '退订';
}

// The text a phone shows: 【签名】 then the template with its variables filled.
export function fillSmsTemplate(signName: string, text: string, params: Record<string, string>): string {
  return `【${signName}】${text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => params[name] ?? '')}`;
}

// Carriers bill a message of up to 70 characters (signature included, every character counts
// one, Chinese or not) as one SMS; a longer one is split into parts of 67 (3 go to the header
// that joins them again).
export function smsLength(text: string): { length: number; segments: number } {
  const length = [...text].length;
  return { length, segments: length <= 70 ? 1 : Math.ceil(length / 67) };
}
