// The admin area's API: users and teams, catalog, templates, settings, customer CSV import/export.
// Shapes follow libs/users, libs/catalog, libs/greetings, libs/settings and libs/customer-io.

import { ApiError, apiErrorFromBody, http, tokenStore } from './client';
import type { QueryOf, Role, Schema } from './types';

const BASE = '/api/v1';

// ---- users -------------------------------------------------------------------------------------

export type AdminUser = Schema<'UserDto'>;

export type CreateUserBody = Schema<'CreateUserDto'>;
export type UpdateUserBody = Schema<'UpdateUserDto'>;

export const usersApi = {
  list: (query: { role?: Role; managerId?: string } = {}) => http.get<Schema<'UserList'>>('/users', query),
  create: (body: CreateUserBody) => http.post<AdminUser>('/users', body),
  update: (id: string, body: UpdateUserBody) => http.patch<AdminUser>(`/users/${id}`, body),
};

// ---- catalog -----------------------------------------------------------------------------------

export type Product = Schema<'ProductDto'>;

export type ProductBody = Schema<'CreateProductDto'>;
export type UpdateProductBody = Schema<'UpdateProductDto'>;

export type ProductQuery = QueryOf<'CatalogController_list'>;

export const productsApi = {
  list: (query: ProductQuery = {}) => http.get<Schema<'ProductList'>>('/products', { limit: 500, ...query }),
  create: (body: ProductBody) => http.post<Product>('/products', body),
  update: (id: string, body: UpdateProductBody) => http.patch<Product>(`/products/${id}`, body),
};

// ---- templates ---------------------------------------------------------------------------------

export const FESTIVAL_KEYS = [
  'new_year',
  'spring_festival',
  'lantern',
  'dragon_boat',
  'qixi',
  'mid_autumn',
  'national_day',
  'double_ninth',
] as const;
export type FestivalKey = (typeof FESTIVAL_KEYS)[number];
export const OCCASIONS = [...FESTIVAL_KEYS, 'birthday', 'custom'] as const;
export type Occasion = (typeof OCCASIONS)[number];

export type Template = Schema<'TemplateDto'>;

export type TemplateBody = Schema<'CreateTemplateDto'>;
// The occasion is fixed once a template exists.
export type UpdateTemplateBody = Schema<'UpdateTemplateDto'>;

// Placeholder → what it stands for (Chinese), as the API allows them.
export type Placeholders = Schema<'TemplateListDto'>['placeholders'];
export type TemplatePreview = Schema<'TemplatePreviewDto'>;

export const templatesApi = {
  list: () => http.get<Schema<'TemplateListDto'>>('/templates'),
  create: (body: TemplateBody) => http.post<Template>('/templates', body),
  update: (id: string, body: UpdateTemplateBody) => http.patch<Template>(`/templates/${id}`, body),
  preview: (id: string, customerId?: string) => http.get<TemplatePreview>(`/templates/${id}/preview`, { customerId }),
};

export type CustomerOption = Pick<Schema<'CustomerDto'>, 'id' | 'name' | 'mobile' | 'city'>;

export const customersApi = {
  search: (q: string) => http.get<Schema<'CustomerPage'>>('/customers', { q, limit: 20 }),
};

// ---- settings ----------------------------------------------------------------------------------

export type CadenceStep = Schema<'CadenceStepDto'>;
export type Settings = Schema<'SettingsDto'>;
// PATCH /settings: the sections it changes, each with only the fields it names.
export type SettingsPatch = Schema<'UpdateSettingsDto'>;

export type SettingsSection = keyof Settings;
// The channels a message can go by, in the API's order.
export const CONTACT_CHANNELS: readonly Settings['channels']['order'][number][] = ['email', 'sms', 'wecom'];
export const SETTINGS_SECTIONS: SettingsSection[] = [
  'followUps',
  'surveys',
  'touch',
  'caps',
  'channels',
  'churn',
  'festivals',
  'sms',
  'wecom',
  'sla',
];
// The kinds of contact a butler logs (记一笔), as settings.surveys.afterContactKinds lists them.
export const CONTACT_KINDS = ['call', 'visit', 'wechat', 'tasting_event', 'other'] as const;
export const TOUCH_TIERS = ['black', 'gold', 'silver', 'regular'] as const;

export const settingsApi = {
  get: () => http.get<Settings>('/settings'),
  update: (body: SettingsPatch) => http.patch<Settings>('/settings', body),
};

// How SMS is configured on the server (provider, the 签名 every message opens with).
export type SmsStatus = Schema<'SmsStatusDto'>;
export const smsApi = {
  status: () => http.get<SmsStatus>('/sms/status'),
};

// WeCom (企业微信): the contact sync now (立即同步), and its report.
export type WecomSyncReport = Schema<'WecomSyncReportDto'>;
export const wecomApi = {
  sync: () => http.post<WecomSyncReport>('/wecom/sync', {}),
};

// ---- customer import / export ------------------------------------------------------------------

export const CSV_ENCODINGS = ['auto', 'utf8', 'gb18030'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

// One per row and field; `field` is the import column at fault, null when the whole row is; `code`
// the rule the cell broke (a VALIDATION_FAILED field code) and `params` what its text needs.
export type ImportFailure = Schema<'RowFailureDto'>;
export type ImportResult = Schema<'ImportResultDto'>;

export type ExportQuery = QueryOf<'CustomerIoController_export'>;

// The shared client handles an expired token (clear it, back to login) on its own requests; the
// raw XHR/fetch below let it find out by asking /me with the same token.
function reportUnauthorized(): void {
  http.get('/me').catch(() => undefined);
}

// XMLHttpRequest rather than fetch: only it reports upload progress.
export function uploadCustomersCsv(
  file: Blob,
  options: { encoding?: CsvEncoding; onProgress?: (percent: number) => void } = {},
): { promise: Promise<ImportResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportResult>((resolve, reject) => {
    const encoding = options.encoding && options.encoding !== 'auto' ? `?encoding=${options.encoding}` : '';
    xhr.open('POST', `${BASE}/customers/import${encoding}`);
    xhr.setRequestHeader('accept', 'application/json');
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResult);
        } catch {
          reject(new ApiError(xhr.status, []));
        }
        return;
      }
      if (xhr.status === 401) reportUnauthorized();
      reject(apiErrorFromBody(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, []));
    xhr.onabort = () => reject(new ApiError(0, ['aborted']));
    const form = new FormData();
    form.append('file', file, file instanceof File ? file.name : 'customers.csv');
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

// `attachment; filename="customers-2026-11-22.csv"` or RFC 5987 `filename*=UTF-8''…`.
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name || fallback;
}

// The export streams CSV; read it as bytes (text() would drop the BOM Excel needs).
export async function fetchCustomersExport(query: ExportQuery): Promise<{ filename: string; blob: Blob }> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.append(key, String(value));
  const qs = params.toString();
  const token = tokenStore.get();
  const res = await fetch(`${BASE}/customers/export${qs ? `?${qs}` : ''}`, {
    headers: token ? { authorization: `Bearer ${token}`, accept: 'text/csv' } : { accept: 'text/csv' },
  });
  if (!res.ok) {
    if (res.status === 401) reportUnauthorized();
    throw apiErrorFromBody(res.status, await res.text());
  }
  return {
    filename: filenameFromDisposition(res.headers.get('content-disposition'), 'customers.csv'),
    blob: await res.blob(),
  };
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const adminKeys = {
  users: (query?: object) => ['admin', 'users', query ?? {}] as const,
  usersAll: ['admin', 'users'] as const,
  products: (query?: object) => ['admin', 'products', query ?? {}] as const,
  productsAll: ['admin', 'products'] as const,
  templates: ['admin', 'templates'] as const,
  preview: (id: string, customerId?: string) => ['admin', 'templates', id, 'preview', customerId ?? null] as const,
  customerSearch: (q: string) => ['admin', 'customer-search', q] as const,
  settings: ['settings'] as const,
  smsStatus: ['admin', 'sms-status'] as const,
};
