import type { FormInstance } from 'antd';

import { ApiError, type ApiFieldProblem } from '../api/client';
import i18n from '../i18n';

type NamePath = (string | number)[];
type Params = Record<string, unknown>;

const t = (key: string, params?: Params): string => i18n.t(key, { ns: 'errors', ...params });
const has = (key: string): boolean => i18n.exists(key, { ns: 'errors' });

// Chinese for one field rule of a VALIDATION_FAILED body (or an import row's failure), without the
// field's name: it is shown under the field.
export function ruleText(problem: Pick<ApiFieldProblem, 'code' | 'params'>): string {
  const params = problem.params ?? {};
  if (problem.code === 'minLength' && params.min === 1) return t('rules.isNotEmpty');
  if ((problem.code === 'isIn' || problem.code === 'isEnum') && Array.isArray(params.values)) {
    const values = params.values as unknown[];
    // The choices by their Chinese names when every one has one (tiers, genders…).
    if (values.length > 0 && values.length <= 8 && values.every((v) => has(`values.${String(v)}`)))
      return t('rules.isInValues', { values: values.map((v) => t(`values.${String(v)}`)).join('、') });
  }
  if (!has(`rules.${problem.code}`)) return t('codes.VALIDATION_FAILED');
  return t(`rules.${problem.code}`, { ...params, context: params.team ? 'team' : undefined });
}

// The field's Chinese name for a problem shown away from the field ("手机号：…"); `label` is the
// form's own name for it when it knows one.
export function fieldLabel(field: string, label?: string): string {
  if (label) return label;
  const head = field.split('.')[0];
  return has(`fields.${head}`) ? t(`fields.${head}`) : t('someField');
}

// The generic code of a status, for an answer that names none (a proxy's 404, an old server).
const CODE_BY_STATUS: Record<number, string> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

const countsText = (details: Params): string =>
  (['clients', 'followUps', 'cases'] as const)
    .filter((key) => Number(details[key]) > 0)
    .map((key) => t(`work.${key}`, { count: Number(details[key]) }))
    .join(t('workSeparator'));

// Chinese for any error the console meets: the API's code with what its body names, a network
// failure, a 5xx. Never the API's English message.
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof TypeError ? t('network') : t('unknown');
  if (error.status === 0) return t('network');
  const details = error.details;
  const code = error.code;
  if (error.status >= 500 && code !== 'DATABASE_UNAVAILABLE') return t('server');
  switch (code) {
    case 'VALIDATION_FAILED':
      return error.fields.length > 0
        ? error.fields.map((f) => `${fieldLabel(f.field)}：${ruleText(f)}`).join('；')
        : t('codes.VALIDATION_FAILED');
    case 'BUTLER_HAS_OPEN_WORK':
      return t('codes.BUTLER_HAS_OPEN_WORK', { work: countsText(details) });
    case 'CASE_TRANSITION_NOT_ALLOWED':
      return t('codes.CASE_TRANSITION_NOT_ALLOWED', {
        from: t(`caseStatuses.${String(details.from)}`),
        to: t(`caseStatuses.${String(details.to)}`),
      });
    case 'IMPORT_HEADER_INVALID': {
      const parts = [t('codes.IMPORT_HEADER_INVALID')];
      const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join('、') : '');
      if (list(details.unknownColumns)) parts.push(t('unknownColumns', { columns: list(details.unknownColumns) }));
      if (list(details.repeatedColumns)) parts.push(t('repeatedColumns', { columns: list(details.repeatedColumns) }));
      return parts.join('；');
    }
    default:
      if (code && has(`codes.${code}`)) return t(`codes.${code}`, details);
      return error.status >= 400 && error.status < 500
        ? t(`codes.${CODE_BY_STATUS[error.status] ?? 'BAD_REQUEST'}`)
        : t('unknown');
  }
}

// A conflict that is about one field: its text goes under that field.
const FIELD_OF_CODE: Record<string, string> = {
  CUSTOMER_MOBILE_TAKEN: 'mobile',
  USER_EMAIL_TAKEN: 'email',
  PRODUCT_SKU_TAKEN: 'sku',
  PURCHASE_ORDER_REF_TAKEN: 'orderRef',
};

// Each field an error is about, with its Chinese text; empty when it names no field.
export function fieldTexts(error: unknown): { field: string; text: string }[] {
  if (!(error instanceof ApiError)) return [];
  const field = FIELD_OF_CODE[error.code];
  if (field) return [{ field, text: errorText(error) }];
  return error.fields.map((problem) => ({ field: problem.field, text: ruleText(problem) }));
}

// The API's field problems, placed on the form fields they name, each in Chinese. `rename` maps an
// API field path ("birthday.date") to the form's name path when the form is shaped differently.
// Returns, in Chinese, what no field of the form took, for a general alert.
export function apiErrorsToFields(
  error: unknown,
  rename: (apiField: string) => NamePath | null = (f) => f.split('.'),
): {
  fields: { name: NamePath; errors: string[] }[];
  rest: string[];
} {
  const problems = fieldTexts(error);
  if (problems.length === 0) return { fields: [], rest: [errorText(error)] };
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  for (const { field, text } of problems) {
    const name = rename(field);
    if (!name) {
      rest.push(`${fieldLabel(field)}：${text}`);
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(key, entry);
  }
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
  const unplaced = fields
    .filter((f) => !placed.includes(f))
    .flatMap((f) => f.errors.map((e) => `${fieldLabel(f.name.map(String).join('.'))}：${e}`));
  return [...rest, ...unplaced];
}

// The same, keeping only fields the form has (by their top-level name); the rest come back.
export function applyApiErrors(form: FormInstance, error: unknown, known?: readonly string[]): string[] {
  return showApiErrors(form, error, undefined, known ? (name) => known.includes(String(name[0])) : undefined);
}

// The leaf paths of the values a change touched (onValuesChange's first argument): list items
// that did not change are holes in their array and are skipped.
export function changedPaths(changed: unknown, prefix: NamePath = []): NamePath[] {
  if (changed === null || typeof changed !== 'object' || (prefix.length > 0 && !isPlain(changed))) return [prefix];
  const entries = Array.isArray(changed)
    ? changed.flatMap((value, index) => (value === undefined ? [] : [[index, value] as const]))
    : Object.entries(changed);
  if (prefix.length > 0 && Array.isArray(changed) && entries.length === 0) return [prefix];
  return entries.flatMap(([key, value]) => changedPaths(value, [...prefix, key]));
}

function isPlain(value: object): boolean {
  return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
}

// A message the API gave a field goes once the user edits that field (antd keeps errors set by
// setFields until the field is validated again, and these fields have no rules of their own).
export function clearEditedErrors(form: FormInstance, changed: unknown): void {
  const stale = changedPaths(changed).filter((name) => form.getFieldError(name).length > 0);
  if (stale.length > 0) form.setFields(stale.map((name) => ({ name, errors: [] })));
}
