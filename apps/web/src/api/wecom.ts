// WeCom (企业微信): the sidebar's sign-in, its JS-SDK signatures and the binding of a WeCom external
// contact to a client; the hand-over results a manager reads.
import { http, Page, tokenStore } from './client';
import type { Schema } from './types';

export type WecomJsConfig = Schema<'WecomJsConfigDto'>;
export type WecomContact = Schema<'WecomContactDto'>;
export type WecomTransfer = Schema<'WecomTransferDto'>;

export const wecomKeys = {
  contact: (externalUserId: string) => ['wecom', 'contact', externalUserId] as const,
  transfers: (status: string) => ['wecom', 'transfers', status] as const,
};

export const wecomApi = {
  // WeCom's OAuth2 code → the butler's session (the code is good once, for five minutes), with the
  // JS-SDK signatures for `url`.
  signIn: async (code: string, url: string) => {
    const result = await http.post<Schema<'WecomSessionDto'>>('/wecom/sidebar/session', {
      code,
      url,
    } satisfies Schema<'WecomSignInDto'>);
    tokenStore.set(result.accessToken);
    return result;
  },
  jsConfig: (url: string) => http.get<WecomJsConfig>('/wecom/sidebar/js-config', { url }),
  contact: (externalUserId: string) => http.get<WecomContact>(`/wecom/contacts/${encodeURIComponent(externalUserId)}`),
  bind: (externalUserId: string, customerId: string) =>
    http.post<WecomContact>(`/wecom/contacts/${encodeURIComponent(externalUserId)}/bind`, {
      customerId,
    } satisfies Schema<'BindWecomContactDto'>),
  transfers: (query: { status?: string; limit?: number; cursor?: string }) =>
    http.get<Page<WecomTransfer>>('/wecom/transfers', query),
};
