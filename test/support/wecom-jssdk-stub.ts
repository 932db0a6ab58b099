import type { TestBrowser, TestPage } from './browser';

export interface WxCall {
  name: string;
  args: Record<string, unknown>;
}

// A phone page as WeCom's chat toolbar opens it, with WeCom's JS-SDK replaced by a stub: wx.config
// and wx.agentConfig succeed (recording what the page signed, in `__wxCalls`), getCurExternalContact
// answers the chat's external contact.
export async function openInWecom(browser: TestBrowser, baseURL: string, externalUserId: string): Promise<TestPage> {
  const tab = await browser.open('phone', { baseURL });
  await tab.context.addInitScript((userId: string) => {
    const calls: { name: string; args: Record<string, unknown> }[] = [];
    (globalThis as unknown as { __wxCalls: typeof calls }).__wxCalls = calls;
    (globalThis as unknown as { wx: unknown }).wx = {
      config: (args: Record<string, unknown>) => calls.push({ name: 'config', args }),
      ready: (cb: () => void) => setTimeout(cb, 0),
      error: () => undefined,
      agentConfig: (args: Record<string, unknown> & { success: (r: unknown) => void }) => {
        calls.push({ name: 'agentConfig', args: { ...args, success: undefined, fail: undefined } });
        setTimeout(() => args.success({ errMsg: 'agentConfig:ok' }), 0);
      },
      invoke: (name: string, _params: unknown, cb: (r: unknown) => void) => {
        calls.push({ name, args: {} });
        setTimeout(() => cb({ err_msg: `${name}:ok`, userId }), 0);
      },
    };
  }, externalUserId);
  return tab;
}
