import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

// Puts the API's 400 messages under the fields they name ("audience.butlerId must …" under
// ['audience', 'butlerId']). Returns the messages that named no field of the form.
export function applyApiErrors(form: FormInstance, error: unknown, known?: string[]): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)];
  const byField = error.fieldErrors();
  const placed = new Set<string>();
  const fields = Object.entries(byField)
    .filter(([name]) => !known || known.includes(name))
    .map(([name, errors]) => {
      errors.forEach((e) => placed.add(e));
      return { name: name.split('.'), errors };
    });
  if (fields.length) form.setFields(fields as Parameters<FormInstance['setFields']>[0]);
  return error.messages.filter((m) => !placed.has(m));
}
