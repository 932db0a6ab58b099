import { randomInt } from 'node:crypto';

import { BrowserApp, PHONE_WIDTH, signIn, startBrowserApp, TestBrowser } from './support/browser';
import { createProduct, uniqueMobile } from './support/factories';
import { FakeWecom } from './support/fake-wecom';
import { TestApp } from './support/test-app';
import { openInWecom, WxCall } from './support/wecom-jssdk-stub';

// A real browser on a shared two-core machine: steps take seconds.
jest.setTimeout(240_000);

describe('the WeCom chat toolbar page (聊天工具栏) on a phone', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;
  let fake: FakeWecom;
  let admin: string;
  let butler: { id: string; email: string; token: string };
  let manager: { id: string; email: string; token: string };
  const wecomUserId = `sidebar-${randomInt(1e6, 1e7)}`;

  beforeAll(async () => {
    fake = await new FakeWecom().start();
    ({ t, browser, baseURL } = env = await startBrowserApp({ env: { WECOM_BASE_URL: fake.url } }));
    admin = await t.adminToken();
    manager = await t.createUser(admin, { role: 'manager', name: '王经理' });
    butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    fake.addMember(wecomUserId);
    expect((await t.as(admin).patch('/api/v1/settings', { wecom: fake.settings() })).status).toBe(200);
    expect((await t.as(admin).patch(`/api/v1/users/${butler.id}`, { wecomUserId })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.as(admin).patch('/api/v1/settings', {
      wecom: { corpId: null, agentId: null, enabled: false, contactSecret: null, agentSecret: null },
    });
    await t?.as(admin).patch(`/api/v1/users/${butler.id}`, { wecomUserId: null });
    await env?.close();
    await fake.stop();
  });

  it("shows the chat's client at once: taste, purchases, follow-ups, cases, scores and 记一笔", async () => {
    const name = `顾长青${randomInt(1000, 9999)}`;
    const externalUserId = fake.newExternalUserId();
    const client = await t.as(butler.token).post('/api/v1/customers', {
      name,
      mobile: uniqueMobile(),
      tier: 'black',
      externalUserId,
      consent: { greetings: true, surveys: true, source: 'store' },
    });
    expect(client.status).toBe(201);
    const id = client.body.id as string;
    await t.as(butler.token).put(`/api/v1/customers/${id}/taste-profile`, {
      aromas: [
        { type: 'jiang', weight: 0.9 },
        { type: 'nong', weight: 0.4 },
      ],
      abvRange: [52, 54],
      priceRangeFen: [150000, 300000],
      brands: ['贵州茅台'],
      occasions: ['gifting'],
      notes: '逢年过节送客户',
    });
    const product = await createProduct(t, admin, { name: '飞天茅台 53% 500ml' });
    await t.as(butler.token).post(`/api/v1/customers/${id}/purchases`, {
      orderRef: `SB-${randomInt(0, 1e9)}`,
      channel: 'store',
      purchasedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
      items: [{ productId: product.id, quantity: 2, unitPriceFen: 249900 }],
    });
    await t.as(butler.token).post('/api/v1/cases', {
      customerId: id,
      type: 'delivery',
      priority: 'normal',
      channel: 'wechat',
      summary: '礼盒配送延迟',
    });

    const tab = await openInWecom(browser, baseURL, externalUserId);
    const { page } = tab;
    const started = Date.now();
    await page.goto(`/wecom/sidebar?code=${fake.oauthCode(wecomUserId)}&state=sidebar`);
    await page.getByTestId('wecom-client-name').filter({ hasText: name }).waitFor();
    const firstRender = Date.now() - started;
    await page.getByText('礼盒配送延迟').waitFor();
    await page.getByText('飞天茅台 53% 500ml ×2').waitFor();
    const allShown = Date.now() - started;
    console.log(`sidebar: client shown ${firstRender} ms, every section ${allShown} ms after navigation`);
    // Where the time went: the page's requests, from the navigation (printed for the report).
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/'))
        .map((e) => {
          const end = Math.round((e as unknown as { responseEnd: number }).responseEnd);
          return `${Math.round(e.startTime)}-${end} ${new URL(e.name).pathname}`;
        }),
    );
    console.log(timings.join('\n'));
    // Two requests stand between the code and the client's name: the session (with the JS-SDK
    // signatures) and the contact (with the client); the sections load beside each other after, as
    // does the console's check of the session it now holds (/me).
    const beforeName = timings.filter(
      (line) => !/taste-profile|purchases|follow-ups|cases|surveys|\/api\/v1\/me$/.test(line),
    );
    expect(beforeName.map((line) => line.split(' ')[1])).toEqual([
      '/api/v1/wecom/sidebar/session',
      `/api/v1/wecom/contacts/${externalUserId}`,
    ]);
    // The target is 1 s on a quiet machine; on this shared one the bound only catches a page that hangs.
    expect(firstRender).toBeLessThan(10_000);

    for (const text of ['酱香', '浓香', '贵州茅台', '逢年过节送客户', '待办回访', '近期满意度', '还没有满意度评价'])
      await page.getByText(text, { exact: false }).first().waitFor();
    // The page signed in with WeCom's code (gone from the address) and signed wx.config and
    // wx.agentConfig for its own URL.
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    const calls = await page.evaluate(() => (globalThis as unknown as { __wxCalls: WxCall[] }).__wxCalls);
    expect(calls.map((c) => c.name)).toEqual(['config', 'agentConfig', 'getCurExternalContact']);
    expect(calls[1].args).toMatchObject({ corpid: fake.corpId, agentid: String(fake.agentId) });
    expect(calls[1].args.signature).toMatch(/^[0-9a-f]{40}$/);
    expect(await tab.horizontalOverflow()).toBe(0);
    const box = (await page.getByTestId('log-contact').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
    await tab.screenshot('client');

    // 记一笔 from the sidebar: the console's form, saved to the client's contact log.
    await page.getByTestId('log-contact').click();
    await page.getByTestId('log-contact-summary').fill('微信沟通礼盒配送，已安排加急');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByText(/已记录/).waitFor();
    const stored = await t.db.query(`SELECT summary, butler_id FROM interactions WHERE customer_id = $1`, [id]);
    expect(stored).toEqual([{ summary: '微信沟通礼盒配送，已安排加急', butler_id: butler.id }]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('links an unknown WeCom contact to one of the butler’s clients (关联客户)', async () => {
    const name = `沈墨${randomInt(1000, 9999)}`;
    const client = await t.as(butler.token).post('/api/v1/customers', {
      name,
      mobile: uniqueMobile(),
      tier: 'gold',
      consent: { greetings: true, surveys: true, source: 'store' },
    });
    const externalUserId = fake.newExternalUserId();
    const tab = await openInWecom(browser, baseURL, externalUserId);
    const { page } = tab;
    await page.goto(`/wecom/sidebar?code=${fake.oauthCode(wecomUserId)}`);
    const link = page.getByTestId('wecom-link');
    await link.getByText('关联客户').waitFor();
    await tab.screenshot('link');
    await link.locator('.ant-select').click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-item-option').filter({ hasText: name }).click();
    await page.getByTestId('wecom-link-submit').click();
    await page.getByTestId('wecom-client-name').filter({ hasText: name }).waitFor();
    const read = await t.as(butler.token).get(`/api/v1/customers/${client.body.id}`);
    expect(read.body.externalUserId).toBe(externalUserId);
    expect(await tab.horizontalOverflow()).toBe(0);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('tells a WeCom member with no butler account to ask an admin', async () => {
    const tab = await openInWecom(browser, baseURL, fake.newExternalUserId());
    fake.addMember('no-account');
    await tab.page.goto(`/wecom/sidebar?code=${fake.oauthCode('no-account')}`);
    await tab.page.getByText('你的企业微信账号还没有关联管家账号').waitFor();
    await tab.screenshot('not-bound');
    await tab.close();
  });

  it('shows the manager which clients could not move on WeCom and why', async () => {
    const name = `陆振华${randomInt(1000, 9999)}`;
    const client = await t.as(butler.token).post('/api/v1/customers', { name, mobile: uniqueMobile(), tier: 'gold' });
    await t.db.query(
      `INSERT INTO wecom_transfers (customer_id, kind, from_butler_id, to_butler_id, status, reason, requested_at)
       VALUES ($1, 'on_job', $2, $2, 'skipped', 'limit_90_days', now())`,
      [client.body.id, butler.id],
    );
    const tab = await browser.open('desktop', { baseURL });
    await signIn(tab, manager.email);
    await tab.page.getByRole('heading', { name: '今日' }).waitFor();
    await tab.page.getByRole('menuitem', { name: '企业微信转接' }).click();
    const row = tab.page.getByTestId('wecom-transfers').locator('tr').filter({ hasText: name });
    await row.getByText('该客户 90 天内已被转接 2 次（企业微信上限）').waitFor();
    await row.getByText('未转接').waitFor();
    await tab.screenshot('transfers');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});
