import type { FormInstance } from 'antd';

import { errorText, fieldLabel, fieldTexts } from '../../components/formErrors';

export interface FieldError {
  name: (string | number)[];
  errors: string[];
}

// An API error split into the Chinese a form can show on its fields and the rest (shown above the
// form). `prefix` drops a section path ("surveys." of the field "surveys.cooldownDays"), `rename`
// maps an API field to the form's (priceFen → price), `known` lists the form's top-level fields.
export function splitApiError(
  error: unknown,
  options: { prefix?: string; rename?: Record<string, string>; known: readonly string[] },
): { fields: FieldError[]; rest: string[] } {
  const problems = fieldTexts(error);
  if (problems.length === 0) return { fields: [], rest: [errorText(error)] };
  const byPath = new Map<string, FieldError>();
  const rest: string[] = [];
  for (const { field, text } of problems) {
    let local = field;
    if (options.prefix) {
      if (!local.startsWith(`${options.prefix}.`)) {
        rest.push(`${fieldLabel(local)}：${text}`);
        continue;
      }
      local = local.slice(options.prefix.length + 1);
    }
    const name = local
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const head = options.rename?.[String(name[0])] ?? String(name[0]);
    if (!options.known.includes(head)) {
      rest.push(`${fieldLabel(local)}：${text}`);
      continue;
    }
    name[0] = head;
    const key = name.join('.');
    const entry = byPath.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byPath.set(key, entry);
  }
  return { fields: [...byPath.values()], rest };
}

// Puts the API's field problems on the form, in Chinese; returns what is left for an alert.
export function showApiError(
  form: FormInstance,
  error: unknown,
  options: Parameters<typeof splitApiError>[1],
): string[] {
  const { fields, rest } = splitApiError(error, options);
  if (fields.length > 0) form.setFields(fields);
  return rest;
}
