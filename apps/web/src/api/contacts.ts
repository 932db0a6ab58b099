// 记一笔: a contact the butler logs with a client (call, visit, WeChat…), and the client's contact log.
import { http, Page } from './client';
import type { Schema } from './types';

export type LogContactBody = Schema<'LogContactDto'>;
export type LoggedContact = Schema<'LoggedContactDto'>;
export type Contact = Schema<'ContactDto'>;
export const CONTACT_KINDS = ['call', 'visit', 'wechat', 'tasting_event', 'other'] as const;
export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'left_message', 'declined'] as const;

export const contactsApi = {
  log: (customerId: string, body: LogContactBody) =>
    http.post<LoggedContact>(`/customers/${customerId}/interactions`, body),
  list: (customerId: string, cursor?: string) =>
    http.get<Page<Contact>>(`/customers/${customerId}/interactions`, { cursor }),
};
