import { AppError, FieldProblem } from '@app/common';

import type { Settings } from './dto/settings.dto';

// What the product can fill into an approved SMS template, per purpose (Aliyun's ${var} syntax).
// A template text using anything else could never be filled, so settings refuse it.
export const SMS_TEMPLATE_VARIABLES = {
  greeting: ['name', 'butler', 'festival'],
  // link: the whole short URL; code: only its code, for a template that fixes the domain in its text.
  surveyInvitation: ['name', 'butler', 'link', 'code', 'days'],
  recoveryAlert: ['client', 'butler', 'score'],
} as const;

// Every marketing SMS ends with the opt-out the carriers require.
export const SMS_OPT_OUT = '回T退订';

export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))];
}

// The template's text with the product's variables filled (what the console previews, without 【签名】).
export function fillSmsText(text: string, params: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => (Object.hasOwn(params, name) ? params[name] : ''));
}

type Problem = FieldProblem & { message: string };

function checkText(
  field: string,
  text: string,
  known: readonly string[],
  marketing: boolean,
  params?: string[],
): Problem[] {
  const problems: Problem[] = [];
  // The positional order (Tencent) names each variable the product fills, once.
  const paramsField = field.replace(/\.text$/, '.params');
  for (const variable of params ?? [])
    if (!known.includes(variable))
      problems.push({
        field: paramsField,
        code: 'smsUnknownVariable',
        params: { variable, known: [...known] },
        message: `${paramsField} names ${variable}, which the product cannot fill; known: ${known.join(', ')}`,
      });
  for (const variable of templateVariables(text)) {
    if (!known.includes(variable))
      problems.push({
        field,
        code: 'smsUnknownVariable',
        params: { variable, known: [...known] },
        message: `${field} uses \${${variable}}, which the product cannot fill; known: ${known.join(', ')}`,
      });
  }
  if (marketing && !text.trimEnd().endsWith(SMS_OPT_OUT))
    problems.push({
      field,
      code: 'smsOptOutMissing',
      params: { optOut: SMS_OPT_OUT },
      message: `${field} is a marketing SMS and must end with ${SMS_OPT_OUT}`,
    });
  return problems;
}

// The SMS templates as a whole: each text fillable, each greeting ending with 回T退订, one per occasion.
export function checkSmsTemplates(sms: Settings['sms']): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  sms.templates.greetings.forEach((t, i) => {
    const field = `sms.templates.greetings.${i}`;
    if (seen.has(t.occasion))
      problems.push({
        field: `${field}.occasion`,
        code: 'arrayUnique',
        message: `${field}.occasion repeats ${t.occasion}`,
      });
    seen.add(t.occasion);
    problems.push(...checkText(`${field}.text`, t.text, SMS_TEMPLATE_VARIABLES.greeting, true, t.params));
  });
  const { surveyInvitation, recoveryAlert } = sms.templates;
  if (surveyInvitation)
    problems.push(
      ...checkText(
        'sms.templates.surveyInvitation.text',
        surveyInvitation.text,
        SMS_TEMPLATE_VARIABLES.surveyInvitation,
        false,
        surveyInvitation.params,
      ),
    );
  if (recoveryAlert)
    problems.push(
      ...checkText(
        'sms.templates.recoveryAlert.text',
        recoveryAlert.text,
        SMS_TEMPLATE_VARIABLES.recoveryAlert,
        false,
        recoveryAlert.params,
      ),
    );
  if (problems.length > 0) throw AppError.invalid(...problems);
}

// The greeting template of an occasion (a custom campaign falls back to the `custom` one).
export function smsGreetingTemplate(sms: Settings['sms'], occasion: string): { code: string; text: string } | null {
  const { greetings } = sms.templates;
  return greetings.find((t) => t.occasion === occasion) ?? greetings.find((t) => t.occasion === 'custom') ?? null;
}

// A purpose needs a template the settings do not have: 400 naming where to configure it.
export function smsTemplateMissing(field: string, purpose: string, occasion?: string): AppError {
  return AppError.invalid({
    field,
    code: 'smsTemplateMissing',
    params: { purpose, setting: occasion ? `sms.templates.greetings(${occasion})` : `sms.templates.${purpose}` },
    message:
      `${field}: no SMS template code for ${occasion ? `the ${occasion} greeting` : purpose}; ` +
      `configure sms.templates in settings`,
  });
}

// Tencent Cloud fills a template's variables by position ({1}, {2}, …): the order of the template
// with this code, as settings store it (`params`), else the order its text first names them.
export function smsTemplateOrder(sms: Settings['sms'], code: string): string[] | null {
  const { greetings, surveyInvitation, recoveryAlert } = sms.templates;
  const template = [...greetings, surveyInvitation, recoveryAlert].find((t) => t?.code === code);
  if (!template) return null;
  return template.params ?? templateVariables(template.text);
}
