import { tokenStore } from '../../api/client';
import { assignCustomers, eachLimited } from './assignApi';

describe('reassigning clients', () => {
  const calls: { url: string; body: unknown }[] = [];
  afterEach(() => {
    calls.length = 0;
    vi.unstubAllGlobals();
  });
  const stub = (answer: (url: string) => { status: number; body: unknown }) =>
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      const { status, body } = answer(url);
      return Promise.resolve(
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
      );
    });

  it('uses the bulk route when the API has it', async () => {
    tokenStore.set('t');
    stub(() => ({ status: 200, body: { assigned: 2 } }));
    expect(await assignCustomers(['a', 'b'], 'butler')).toEqual({ ok: 2, failed: 0 });
    expect(calls).toEqual([
      { url: '/api/v1/customers/bulk-assign', body: { customerIds: ['a', 'b'], butlerId: 'butler' } },
    ]);
  });

  it('falls back to one assign per client when the bulk route answers 404', async () => {
    stub((url) =>
      url.endsWith('bulk-assign')
        ? { status: 404, body: { message: 'Cannot POST' } }
        : url.includes('/gone/')
          ? { status: 404, body: { message: 'Customer not found', code: 'NOT_FOUND' } }
          : { status: 200, body: {} },
    );
    const outcome = await assignCustomers(['a', 'b', 'gone'], 'butler');
    // The reason is said in Chinese from the code, never the API's English.
    expect(outcome).toEqual({ ok: 2, failed: 1, reason: '记录不存在或已被删除' });
    expect(
      calls
        .slice(1)
        .map((c) => c.url)
        .sort(),
    ).toEqual(['/api/v1/customers/a/assign', '/api/v1/customers/b/assign', '/api/v1/customers/gone/assign']);
  });

  it('counts what worked when running one request per row', async () => {
    const outcome = await eachLimited(
      [1, 2, 3, 4, 5],
      (n) => (n % 2 ? Promise.resolve() : Promise.reject(new Error(`no ${n}`))),
      2,
    );
    expect(outcome).toEqual({ ok: 3, failed: 2, reason: '操作失败，请稍后重试' });
  });
});
