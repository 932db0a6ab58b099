import type { FormInstance } from 'antd';

import { ApiError } from '../api/client';

type NamePath = (string | number)[];

// The API's 400 messages, placed on the form fields they name. `rename` maps an API field path
// ("birthday.date") to the form's name path when the form is shaped differently. Returns the
// messages no field of the form took, for a general alert.
export function apiErrorsToFields(
  error: unknown,
  rename: (apiField: string) => NamePath | null = (f) => f.split('.'),
): {
  fields: { name: NamePath; errors: string[] }[];
  rest: string[];
} {
  if (!(error instanceof ApiError))
    return { fields: [], rest: [error instanceof Error ? error.message : String(error)] };
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  for (const message of error.messages) {
    // class-validator says "each value in tags must …" for array members.
    const each = /^each value in ([\w.]+) /.exec(message);
    const field = each?.[1] ?? /^([A-Za-z][\w.]*)\s/.exec(message)?.[1];
    const name = field && error.status === 400 ? rename(field) : null;
    if (!name) {
      rest.push(message);
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(message);
    byField.set(key, entry);
  }
  if (error.messages.length === 0) rest.push(error.message);
  return { fields: [...byField.values()], rest };
}

// Sets the field errors on the form; returns what is left for a general message.
export function showApiErrors(
  form: FormInstance,
  error: unknown,
  rename?: (apiField: string) => NamePath | null,
  known?: (name: NamePath) => boolean,
): string[] {
  const { fields, rest } = apiErrorsToFields(error, rename);
  const placed = known ? fields.filter((f) => known(f.name)) : fields;
  form.setFields(placed);
  return [...rest, ...fields.filter((f) => !placed.includes(f)).flatMap((f) => f.errors)];
}

// The same, keeping only fields the form has (by their top-level name); the rest come back.
export function applyApiErrors(form: FormInstance, error: unknown, known?: readonly string[]): string[] {
  return showApiErrors(form, error, undefined, known ? (name) => known.includes(String(name[0])) : undefined);
}
