import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import {
  BrowserApp,
  expectFits,
  PHONE_WIDTH,
  settledBox,
  signIn,
  startBrowserApp,
  TestBrowser,
  TestPage,
} from './support/browser';
import { createProduct, uniqueMobile } from './support/factories';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(240_000);

// The console on a 390 px phone: every page a butler or a manager works from is a list of cards
// with no sideways scrolling, the main action of a card is on screen, and a page that is loading
// or failed to load says so instead of showing an empty list.
describe('web console on a phone', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;
  let clock: Clock;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    clock = t.app.get(Clock);
    // A fixed day, whatever day the test runs: 12 March 2031, 10:00 in Shanghai.
    clock.travelTo(new Date('2031-03-12T10:00:00+08:00'));
  });
  afterAll(async () => {
    clock?.reset();
    await env?.close();
  });

  async function signInToToday(tab: TestPage, email: string): Promise<void> {
    await signIn(tab, email);
    await tab.page.getByRole('heading', { name: '今日' }).waitFor();
  }

  // What a deliberately failed request logs is the browser's, not the page's.
  const pageErrors = (tab: TestPage): string[] => tab.errors.filter((e) => !/status of 5\d\d|net::ERR_/.test(e));

  async function team() {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: '王经理' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    const suffix = randomInt(1000, 9999);
    const mobile = uniqueMobile();
    const client = await t.as(butler.token).post('/api/v1/customers', {
      name: `蔡德明${suffix}`,
      mobile,
      tier: 'gold',
      city: '成都',
      tags: ['宴请', '收藏'],
      consent: { greetings: true, surveys: false, source: 'store' },
    });
    expect(client.status).toBe(201);
    return { admin, manager, butler, suffix, mobile, client: client.body as { id: string; name: string } };
  }

  it('a butler works 今日, the client list, a client and cases on a phone', async () => {
    const { admin, manager, butler, suffix, mobile, client } = await team();
    const product = await createProduct(t, admin, { name: `飞天酱香 53度 500ml ${suffix}`, priceFen: 149900 });
    const purchase = await t.as(butler.token).post(`/api/v1/customers/${client.id}/purchases`, {
      orderRef: `POS-20310310-${suffix}`,
      channel: 'store',
      purchasedAt: '2031-03-10T15:00:00+08:00',
      items: [{ productId: product.id, quantity: 2, unitPriceFen: 149900 }],
    });
    expect(purchase.status).toBe(201);
    const assigned = await t.as(manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: butler.id,
      dueAt: '2031-03-12T18:00:00+08:00',
      kind: 'manual',
      title: '确认清明节前送礼需求',
    });
    expect(assigned.status).toBe(201);
    const kase = await t.as(butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'inquiry',
      channel: 'phone',
      summary: '客户咨询年份酒的存放方法，希望管家上门指导',
    });
    expect(kase.status).toBe(201);
    const other = await t
      .as(butler.token)
      .post('/api/v1/customers', { name: `王建国${suffix}`, mobile: uniqueMobile() });
    expect(other.status).toBe(201);

    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await signInToToday(tab, butler.email);

    // 今日: the follow-up is a card; 完成 and 拨打 are on screen without scrolling sideways.
    const card = page.getByTestId('follow-up-card').filter({ hasText: client.name });
    const complete = card.getByRole('button', { name: `完成 ${client.name} 确认清明节前送礼需求` });
    await complete.waitFor();
    const call = card.getByRole('link', { name: `拨打 ${mobile}` });
    await call.waitFor();
    expect(await call.getAttribute('href')).toBe(`tel:${mobile}`);
    const box = (await complete.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
    // 久未联系: the client nobody has reached yet, with 记一笔 on the card.
    const silent = page.getByTestId('silent-card').filter({ hasText: `王建国${suffix}` });
    await silent.getByRole('button', { name: /记一笔/ }).waitFor();
    await expectFits(tab, 'today');

    // Completing it from the card, as on the desktop.
    await complete.click();
    const modal = page.getByRole('dialog');
    await modal.getByText(`完成回访：${client.name}`).waitFor();
    await modal.getByText('已联系上').click();
    await modal.getByLabel('记录').fill('客户清明前要 6 瓶送礼，周五送到');
    // The page behind an open dialog is scroll-locked: the dialog itself must fit the screen.
    const dialogBox = await settledBox(modal);
    expect(dialogBox.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox.x + dialogBox.width).toBeLessThanOrEqual(PHONE_WIDTH);
    await tab.screenshot('today-complete');
    await modal.getByRole('button', { name: '完成回访' }).click();
    await page.getByText(/回访已完成/).waitFor();
    await card.waitFor({ state: 'detached' });
    const done = await t.as(manager.token).get(`/api/v1/follow-ups/${assigned.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'reached' });

    // 客户: a card per client with the last purchase and the total spend, and a tel: link.
    await page.goto('/clients');
    const clientCard = page.getByTestId('client-card').filter({ hasText: client.name });
    await clientCard.waitFor();
    await clientCard.getByText('2031-03-10').waitFor();
    await clientCard.getByText('¥2,998.00').waitFor();
    await clientCard.getByText('共 1 次').waitFor();
    expect(await clientCard.getByRole('link', { name: `拨打 ${mobile}` }).getAttribute('href')).toBe(`tel:${mobile}`);
    await expectFits(tab, 'clients');

    // Found the way a butler thinks of him: pinyin initials, or the last four digits of his number.
    for (const [q, step] of [
      ['cdm', 'clients-search-initials'],
      [mobile.slice(-4), 'clients-search-last-digits'],
    ]) {
      await page.getByRole('searchbox', { name: '姓名、拼音首字母或手机尾号' }).fill(q);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`q=${q}`));
      await clientCard.waitFor();
      await page
        .getByTestId('client-card')
        .filter({ hasText: `王建国${suffix}` })
        .waitFor({ state: 'detached' });
      await expectFits(tab, step);
    }

    // The client page: the number dials, the follow-ups are cards.
    await clientCard.getByRole('link', { name: client.name }).click();
    await page.getByRole('heading', { name: client.name }).waitFor();
    await page.getByText('客户价值').waitFor();
    expect(await page.getByRole('link', { name: mobile, exact: true }).getAttribute('href')).toBe(`tel:${mobile}`);
    expect(await page.getByRole('link', { name: `拨打 ${mobile}` }).getAttribute('href')).toBe(`tel:${mobile}`);
    await expectFits(tab, 'client');

    // Purchases: what was bought and for how much, not only when and the order number.
    await page.getByRole('tab', { name: '购买记录' }).click();
    const purchaseCard = page.getByTestId('purchase-card').filter({ hasText: `POS-20310310-${suffix}` });
    await purchaseCard.getByText('¥2,998.00').waitFor();
    await purchaseCard.getByText(`飞天酱香 53度 500ml ${suffix} × 2`).waitFor();
    await purchaseCard.getByText('2031-03-10 15:00').waitFor();
    // The purchase's own follow-ups (day 3 and day 30), as cards beside it.
    await page.getByText('到货与开瓶体验').filter({ visible: true }).first().waitFor();
    await expectFits(tab, 'client-purchases');

    await page.getByRole('tab', { name: '时间线' }).click();
    // Who, how and the outcome, then what was said.
    await page.getByText(/回访 · 已接通 · 林静怡：确认清明节前送礼需求：客户清明前要 6 瓶送礼/).waitFor();
    await expectFits(tab, 'client-timeline');

    // 售后: the columns stack, the case's buttons fit.
    await page.goto('/cases');
    const caseCard = page.getByTestId('case-card').filter({ hasText: client.name });
    await caseCard.waitFor();
    const open = caseCard.getByRole('button', { name: `查看 ${client.name}` });
    const openBox = (await open.boundingBox())!;
    expect(openBox.x + openBox.width).toBeLessThanOrEqual(PHONE_WIDTH);
    await expectFits(tab, 'cases');

    expect(tab.errors).toEqual([]);
  });

  it('a manager reads the scorecard and the cases on a phone', async () => {
    const { manager, butler, client } = await team();
    const kase = await t.as(butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'complaint',
      channel: 'wechat',
      summary: '客户反映礼盒外包装破损，要求换货',
    });
    expect(kase.status).toBe(201);
    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await signInToToday(tab, manager.email);

    await page.goto('/manager/scorecard');
    await page.getByTestId('butler-card').filter({ hasText: '林静怡' }).waitFor();
    await expectFits(tab, 'scorecard');

    await page.goto('/cases');
    const caseCard = page.getByTestId('case-card').filter({ hasText: client.name });
    const start = caseCard.getByRole('button', { name: '开始处理' });
    const box = (await start.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
    await expectFits(tab, 'manager-cases');
    expect(tab.errors).toEqual([]);
  });

  it('今日 says it is loading, or that loading failed with 重试, never 没有待办回访', async () => {
    const { butler } = await team();
    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;

    // Loading: the follow-ups wait until released; meanwhile a skeleton, no count, no empty text.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/follow-ups?**', async (route) => {
      await held;
      await route.continue();
    });
    await signInToToday(tab, butler.email);
    const section = page.locator('.ant-card').filter({ has: page.getByText('今日回访', { exact: true }) });
    await section.locator('.ant-skeleton').waitFor();
    expect(await section.innerText()).not.toMatch(/没有待办回访|\b0\b/);
    await tab.screenshot('today-loading');
    release();
    await section.getByText('没有待办回访').waitFor();
    await page.unrouteAll({ behavior: 'ignoreErrors' });

    // Failure: the API answers 500 (on every retry); the page says so in Chinese and offers 重试.
    let failing = true;
    await page.route('**/api/v1/follow-ups?**', (route) =>
      failing
        ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"code":"INTERNAL","message":"x"}' })
        : route.continue(),
    );
    await page.reload();
    await section.getByText('加载失败').waitFor({ timeout: 30_000 });
    await section.getByText('服务器暂时无法处理，请稍后重试').waitFor();
    const retry = section.getByRole('button', { name: /重\s?试/ });
    await retry.waitFor();
    expect(await section.innerText()).not.toMatch(/没有待办回访/);
    expect(await section.locator('.ant-card-extra').count()).toBe(0);
    await expectFits(tab, 'today-failed');

    // 重试 once the API is back: the real (empty) list.
    failing = false;
    await retry.click();
    await section.getByText('没有待办回访').waitFor();
    await expect(section.getByText('加载失败').count()).resolves.toBe(0);
    expect(pageErrors(tab)).toEqual([]);
  });
});
