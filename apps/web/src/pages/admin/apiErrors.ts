import type { FormInstance } from 'antd';

import { ApiError } from '../../api/client';

export interface FieldError {
  name: (string | number)[];
  errors: string[];
}

// An API error split into the messages a form can show on its fields and the rest (shown above the
// form). `prefix` drops a section path ("surveys." of "surveys.cooldownDays must …"), `rename`
// maps an API field to the form's (priceFen → price), `known` lists the form's top-level fields.
export function splitApiError(
  error: unknown,
  options: { prefix?: string; rename?: Record<string, string>; known: readonly string[] },
): { fields: FieldError[]; rest: string[] } {
  if (!(error instanceof ApiError))
    return { fields: [], rest: [error instanceof Error ? error.message : String(error)] };
  const byPath = new Map<string, FieldError>();
  const rest: string[] = [];
  for (const [path, messages] of Object.entries(error.fieldErrors())) {
    let local = path;
    if (options.prefix) {
      if (!local.startsWith(`${options.prefix}.`)) {
        rest.push(...messages);
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
      rest.push(...messages);
      continue;
    }
    name[0] = head;
    const key = name.join('.');
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(...messages);
    byPath.set(key, entry);
  }
  // Messages that name no field ("This manager still has 2 butler(s)…").
  const named = new Set(Object.values(error.fieldErrors()).flat());
  for (const message of error.messages) if (!named.has(message)) rest.push(message);
  if (rest.length === 0 && byPath.size === 0) rest.push(error.message);
  return { fields: [...byPath.values()], rest };
}

// Puts the API's field messages on the form; returns what is left for an alert.
export function showApiError(
  form: FormInstance,
  error: unknown,
  options: Parameters<typeof splitApiError>[1],
): string[] {
  const { fields, rest } = splitApiError(error, options);
  if (fields.length > 0) form.setFields(fields);
  return rest;
}
