// After-sales cases (售后): see libs/after-sales/src/dto/case.dto.ts for the shapes.
import { http, Page } from './client';
import type { Schema } from './types';

export const CASE_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_TYPES = ['inquiry', 'complaint', 'return', 'exchange', 'quality', 'delivery', 'other'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_CHANNELS = ['phone', 'wechat', 'store', 'email', 'visit', 'other'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

export type CaseNote = Schema<'CaseNoteDto'>;
// With `notes` when read one at a time, and `survey` after a transition to resolved.
export type Case = Schema<'CaseDto'>;

export type CreateCaseBody = Schema<'CreateCaseDto'>;

export type PurchaseSummary = Schema<'PurchaseDto'>;

export const casesApi = {
  list: (query: {
    status?: CaseStatus;
    customerId?: string;
    butlerId?: string;
    breached?: boolean;
    limit?: number;
    cursor?: string;
  }) => http.get<Page<Case>>('/cases', query),
  get: (id: string) => http.get<Case>(`/cases/${id}`),
  create: (body: CreateCaseBody) => http.post<Case>('/cases', body),
  addNote: (id: string, body: string) =>
    http.post<CaseNote>(`/cases/${id}/notes`, { body } satisfies Schema<'CaseNoteBodyDto'>),
  transition: (id: string, to: CaseStatus, note?: string) =>
    http.post<Case>(`/cases/${id}/transition`, (note ? { to, note } : { to }) satisfies Schema<'TransitionCaseDto'>),
  purchases: (customerId: string) =>
    http.get<Page<PurchaseSummary>>(`/customers/${customerId}/purchases`, { limit: 50 }),
};

export const caseKeys = {
  all: ['cases'] as const,
  column: (status: CaseStatus, breached = false) => ['cases', 'list', status, breached] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
};
