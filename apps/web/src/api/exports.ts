// Exports (CSV / .xlsx) and outbound webhooks: libs/exports and libs/webhooks.

import { filenameFromDisposition } from './admin';
import { apiErrorFromBody, http, Page, tokenStore } from './client';
import type { QueryOf, Schema } from './types';

export const EXPORT_KINDS = ['survey-responses', 'cases', 'follow-ups', 'scorecard'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = NonNullable<QueryOf<'ExportsController_responses'>['format']>;
export interface ExportPeriod {
  from?: string;
  to?: string;
}

// The file as the API streams it; the browser keeps it until it is saved.
export async function fetchExport(
  kind: ExportKind,
  format: ExportFormat,
  period: ExportPeriod = {},
): Promise<{ filename: string; blob: Blob }> {
  const params = new URLSearchParams({ format });
  if (period.from) params.set('from', period.from);
  if (period.to) params.set('to', period.to);
  const token = tokenStore.get();
  const res = await fetch(`/api/v1/exports/${kind}?${params.toString()}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) {
    if (res.status === 401) http.get('/me').catch(() => undefined);
    throw apiErrorFromBody(res.status, await res.text());
  }
  return {
    filename: filenameFromDisposition(res.headers.get('content-disposition'), `${kind}.${format}`),
    blob: await res.blob(),
  };
}

export type Webhook = Schema<'WebhookDto'>;
export type WebhookWithSecret = Schema<'WebhookWithSecretDto'>;
export type WebhookDelivery = Schema<'WebhookDeliveryDto'>;
export type CreateWebhookBody = Schema<'CreateWebhookDto'>;
export type UpdateWebhookBody = Schema<'UpdateWebhookDto'>;
export type DeliveriesQuery = QueryOf<'WebhooksController_deliveries'>;
export const WEBHOOK_EVENTS = ['survey.answered', 'survey.detractor', 'case.changed'] as const;

export const webhooksApi = {
  list: () => http.get<{ items: Webhook[] }>('/webhooks'),
  create: (body: CreateWebhookBody) => http.post<WebhookWithSecret>('/webhooks', body),
  update: (id: string, body: UpdateWebhookBody) => http.patch<Webhook>(`/webhooks/${id}`, body),
  rotate: (id: string) => http.post<WebhookWithSecret>(`/webhooks/${id}/rotate-secret`),
  remove: (id: string) => http.delete<void>(`/webhooks/${id}`),
  deliveries: (query: DeliveriesQuery = {}) => http.get<Page<WebhookDelivery>>('/webhooks/deliveries', query),
};

export const webhookKeys = {
  all: ['webhooks'] as const,
  deliveries: (query: object) => ['webhooks', 'deliveries', query] as const,
};
