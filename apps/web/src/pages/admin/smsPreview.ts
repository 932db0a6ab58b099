// The console's preview of an approved SMS template: the text a phone shows (【签名】 then the
// template filled with sample values) with its length and how many SMS the carriers bill for it.
// The rules are the server's (libs/sms/src/sms-rules.ts): 70 characters in one message, 67 per
// part beyond, the signature counted, every character one (Chinese or not).

export type SmsPurpose = 'greeting' | 'surveyInvitation' | 'recoveryAlert';

// What the preview fills in (a plausible client, butler and link); the server fills real ones.
export const SMS_SAMPLES: Record<SmsPurpose, Record<string, string>> = {
  greeting: { name: '王先生', butler: '李娜', festival: '中秋节' },
  surveyInvitation: {
    name: '王先生',
    butler: '李娜',
    link: 'https://crm.example.com/s/Ab3dE6gH9jK2',
    code: 'Ab3dE6gH9jK2',
    days: '14',
  },
  recoveryAlert: { client: '王建国', butler: '李娜', score: '2' },
};

export function smsPreview(
  signName: string | null | undefined,
  text: string,
  purpose: SmsPurpose,
): { text: string; length: number; segments: number; unknown: string[] } {
  const samples = SMS_SAMPLES[purpose];
  const unknown: string[] = [];
  const filled = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    if (name in samples) return samples[name];
    unknown.push(name);
    return whole;
  });
  const shown = `【${signName || '签名'}】${filled}`;
  const length = [...shown].length;
  return { text: shown, length, segments: length <= 70 ? 1 : Math.ceil(length / 67), unknown };
}
