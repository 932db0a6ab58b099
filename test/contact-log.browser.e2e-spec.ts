import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import { BrowserApp, PHONE_WIDTH, signIn, startBrowserApp, TestBrowser } from './support/browser';
import { uniqueMobile } from './support/factories';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds.
jest.setTimeout(240_000);

// 记一笔 on a 390 px phone: from a client's card, two taps and the text, and the contact is on the
// client's timeline with who, how and the outcome.
describe('记一笔 on a phone', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    // A fixed day, whatever day the test runs.
    t.app.get(Clock).travelTo(new Date('2031-03-12T10:00:00+08:00'));
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await env?.close();
  });

  it('a butler logs a call in two taps plus the text and sees it on the timeline', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: '王经理' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    const name = `蔡德明${randomInt(1000, 9999)}`;
    const client = await t.as(butler.token).post('/api/v1/customers', {
      name,
      mobile: uniqueMobile(),
      tier: 'gold',
      consent: { greetings: true, surveys: false, source: 'store' },
    });
    expect(client.status).toBe(201);

    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await signIn(tab, butler.email);
    await page.getByRole('heading', { name: '今日' }).waitFor();
    await page.goto('/clients');

    const card = page.getByTestId('client-card').filter({ hasText: name });
    const button = card.getByRole('button', { name: '记一笔' });
    await button.waitFor();
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
    await tab.screenshot('clients');

    // Tap 1: 记一笔. The kind (电话) and the outcome (已接通) are already chosen; the text has the focus.
    await button.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`记一笔 · ${name}`).waitFor();
    await page.keyboard.type('客户来电询问年份酒，约好周末到店品鉴');
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('dialog');
    // Tap 2: 保存.
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(/已记录/).waitFor();

    const stored = await t.db.query(
      `SELECT kind, outcome, summary, butler_id FROM interactions WHERE customer_id = $1`,
      [client.body.id],
    );
    expect(stored).toEqual([
      { kind: 'call', outcome: 'reached', summary: '客户来电询问年份酒，约好周末到店品鉴', butler_id: butler.id },
    ]);

    await card.getByRole('link', { name }).click();
    await page.getByRole('tab', { name: /时间线|动态/ }).click();
    await page.getByText('电话 · 已接通 · 林静怡：客户来电询问年份酒，约好周末到店品鉴').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('timeline');
    expect(tab.errors).toEqual([]);
  });
});
