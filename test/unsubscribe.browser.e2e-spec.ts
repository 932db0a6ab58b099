import { AppConfig, purposeKey } from '@app/config';
import { unsubscribeToken } from '@app/greetings';

import { BrowserApp, startBrowserApp, TestBrowser } from './support/browser';
import { customerBody } from './support/factories';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// The unsubscribe page as a client meets it: a greeting mail opened on a phone, in Chinese,
// confirmed without a mouse.
describe('unsubscribe page in a real browser', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;

  let env: BrowserApp | undefined;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('lets a client unsubscribe from greetings on a phone, with the keyboard', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const created = await t
      .as(butler.token)
      .post(
        '/api/v1/customers',
        customerBody({ name: '李秀英', consent: { greetings: true, surveys: true, source: 'store' } }),
      );
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    const customerId = created.body.id as string;
    const token = unsubscribeToken(purposeKey(t.app.get(AppConfig).auth.JWT_SECRET, 'unsubscribe'), customerId);

    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    const response = await page.goto(`/u/${token}`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('退订节日问候');
    expect(await page.getByRole('heading', { name: '退订节日与生日问候' }).isVisible()).toBe(true);
    expect(await page.getByText('李秀英，您好').isVisible()).toBe(true);
    const button = page.getByRole('button', { name: '确认退订' });
    expect(await button.isVisible()).toBe(true);
    // Nothing wider than the phone: no sideways scrolling at 390 CSS px.
    expect(await tab.horizontalOverflow()).toBe(0);

    // Keyboard only: the first Tab lands on the button, Enter submits the form.
    await page.keyboard.press('Tab');
    expect(await button.and(page.locator(':focus')).count()).toBe(1);
    await tab.screenshot('asks');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '已为您退订' }).waitFor();
    expect(await page.getByText('您将不再收到节日与生日问候邮件').isVisible()).toBe(true);
    await tab.screenshot('confirmed');

    const [row] = await t.db.query('SELECT consent_greetings, consent_source FROM customers WHERE id = $1', [
      customerId,
    ]);
    expect(row).toEqual({ consent_greetings: false, consent_source: 'unsubscribe' });
    expect(tab.errors).toEqual([]);
  });
});
