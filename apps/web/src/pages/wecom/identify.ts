// Who the chat toolbar page is for, found while the page's own code still loads: the entry starts
// this on /wecom/sidebar before React, Ant Design and the page's chunks arrive, so the sign-in (the
// OAuth2 code → a session with the JS-SDK signatures), WeCom's JS-SDK and the contact's client
// travel beside them. That is most of the sidebar's first render (issue 17: ≤ 1 s).
import { tokenStore } from '../../api/client';
import { wecomApi, WecomContact, WecomJsConfig } from '../../api/wecom';
import { currentExternalContact, signedUrl } from './jssdk';

export type Identified = { kind: 'contact'; externalUserId: string } | { kind: 'no_code' };

let identifying: Promise<Identified> | null = null;
const contacts = new Map<string, Promise<WecomContact>>();

// Once per page load (React's strict mode mounts the page twice); rejects with the API's or the
// JS-SDK's error, which the page shows.
export function identify(): Promise<Identified> {
  identifying ??= (async (): Promise<Identified> => {
    const url = new URL(window.location.href);
    const code = url.searchParams.get('code');
    let signed: Promise<WecomJsConfig> | null = null;
    if (code) {
      // The code leaves the address first: the page's URL as WeCom's JS-SDK will see it.
      url.searchParams.delete('code');
      url.searchParams.delete('state');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
      // WeCom's JS-SDK loads while the server signs.
      signed = wecomApi.signIn(code, signedUrl()).then((session) => session.jsConfig ?? wecomApi.jsConfig(signedUrl()));
    } else if (!tokenStore.get()) {
      return { kind: 'no_code' };
    }
    const externalUserId = await currentExternalContact(signed ?? wecomApi.jsConfig);
    // The contact (with its client) is asked for at once; the page takes the answer when it mounts.
    const contact = wecomApi.contact(externalUserId);
    contact.catch(() => undefined);
    contacts.set(externalUserId, contact);
    return { kind: 'contact', externalUserId };
  })();
  return identifying;
}

// The contact asked for by identify(), taken once; later reads (a refetch) ask again.
export function takeContact(externalUserId: string): Promise<WecomContact> {
  const early = contacts.get(externalUserId);
  contacts.delete(externalUserId);
  return early ?? wecomApi.contact(externalUserId);
}
