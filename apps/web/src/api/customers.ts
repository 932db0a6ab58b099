// The client (customer) part of the API: shapes and calls, shared by the client pages and by
// anyone who needs to pick or show a client.
import { apiWithStatus, http, Page, Query } from './client';
import type { QueryOf, Schema } from './types';

export type Gender = 'male' | 'female' | 'other';
export const GENDERS: Gender[] = ['male', 'female', 'other'];
export type Calendar = 'solar' | 'lunar';
export const OCCASIONS = ['gifting', 'banquet', 'collection', 'personal'] as const;
export type Occasion = (typeof OCCASIONS)[number];
export const PURCHASE_CHANNELS = ['store', 'wechat', 'phone', 'event', 'online', 'other'] as const;
export type PurchaseChannel = (typeof PURCHASE_CHANNELS)[number];
export const CONSENT_SOURCES = ['store', 'wechat', 'phone', 'form', 'event', 'import'] as const;
export type CustomerSort = 'name' | 'lastPurchase';

export type Birthday = Schema<'BirthdayDto'>;

export type Customer = Schema<'CustomerDto'>;

// POST /customers; PATCH takes the same fields (null clears one) without butlerId, and consent
// with only the answers that change (POST needs both).
export type CreateCustomerBody = Schema<'CreateCustomerDto'>;
export type UpdateCustomerBody = Schema<'UpdateCustomerDto'>;

// The list's filters; paging (limit, cursor) is the list call's.
export type CustomerFilters = Omit<QueryOf<'CustomersController_list'>, 'limit' | 'cursor'>;

export type AromaWeight = Schema<'AromaWeightDto'>;
export type TasteProfileBody = Schema<'TasteProfileDto'>;

export type TasteProfile = Schema<'TasteProfileView'>;

export type PurchaseBody = Schema<'CreatePurchaseDto'>;

export type Purchase = Schema<'PurchaseDto'>;
export type Metrics = Schema<'CustomerMetricsView'>;
export type Recommendation = Schema<'RecommendationView'>;

export const TIMELINE_TYPES = [
  'purchase',
  'interaction',
  'message',
  'follow_up',
  'assignment',
  'case',
  'survey_response',
  'wecom',
] as const;
export type TimelineEvent = Schema<'TimelineEventDto'>;
export type TimelineType = TimelineEvent['type'];

export type Product = Schema<'ProductDto'>;

export const customerKeys = {
  all: ['customers'] as const,
  list: (filters: CustomerFilters) => ['customers', 'list', filters] as const,
  one: (id: string) => ['customers', id] as const,
  taste: (id: string) => ['customers', id, 'taste-profile'] as const,
  purchases: (id: string) => ['customers', id, 'purchases'] as const,
  metrics: (id: string) => ['customers', id, 'metrics'] as const,
  recommendations: (id: string) => ['customers', id, 'recommendations'] as const,
  timeline: (id: string) => ['customers', id, 'timeline'] as const,
};

export const customersApi = {
  list: (filters: CustomerFilters & { limit?: number; cursor?: string }) =>
    http.get<Page<Customer>>('/customers', filters as Query),
  get: (id: string) => http.get<Customer>(`/customers/${id}`),
  create: (body: CreateCustomerBody) => http.post<Customer>('/customers', body),
  update: (id: string, body: UpdateCustomerBody) => http.patch<Customer>(`/customers/${id}`, body),
  tasteProfile: (id: string) => http.get<TasteProfile>(`/customers/${id}/taste-profile`),
  putTasteProfile: (id: string, body: TasteProfileBody) =>
    http.put<TasteProfile>(`/customers/${id}/taste-profile`, body),
  purchases: (id: string, cursor?: string) =>
    http.get<Page<Purchase>>(`/customers/${id}/purchases`, { limit: 20, cursor }),
  // `repeated`: the orderRef was recorded before (200 and the first recording, nothing created).
  recordPurchase: async (id: string, body: PurchaseBody) => {
    const { status, data } = await apiWithStatus<Purchase>('POST', `/customers/${id}/purchases`, body);
    return { purchase: data, repeated: status === 200 };
  },
  metrics: (id: string) => http.get<Metrics>(`/customers/${id}/metrics`),
  recommendations: (id: string, limit = 5) =>
    http.get<Schema<'RecommendationList'>>(`/customers/${id}/recommendations`, { limit }),
  timeline: (id: string, cursor?: string) =>
    http.get<Page<TimelineEvent>>(`/customers/${id}/timeline`, { limit: 20, cursor }),
  products: (q?: string) => http.get<Schema<'ProductList'>>('/products', { q, active: true, limit: 20 }),
};
