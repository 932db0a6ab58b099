import { BrowserApp, startBrowserApp, TestBrowser } from './support/browser';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// The console's frame in a real browser: sign in, the session survives a reload, an expired
// token sends the user back to the login page, and the login route stays small.
describe('web console: sign-in and session', () => {
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

  it('signs a butler in, keeps the session across a reload, and signs out', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;

    await page.goto('/clients');
    await page.waitForURL(/\/login\?next=%2Fclients/);
    await page.getByLabel('邮箱').fill(butler.email);
    await page.getByLabel('密码').fill('wrong-password');
    await page
      .getByRole('button', { name: '登 录' })
      .or(page.getByRole('button', { name: '登录' }))
      .click();
    await page.getByRole('alert').filter({ hasText: '邮箱或密码不正确' }).waitFor();
    await tab.screenshot('wrong-password');

    await page.getByLabel('密码').fill('password-123');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/clients$/);
    await page.getByText('林静怡').first().waitFor();
    expect(await page.getByText('管家', { exact: true }).isVisible()).toBe(true);
    await tab.screenshot('signed-in');

    await page.reload();
    await page.getByText('林静怡').first().waitFor();
    expect(page.url()).toMatch(/\/clients$/);

    // A manager-only page is refused to a butler.
    await page.goto('/manager/scorecard');
    await page.getByText('您没有权限访问此页面').waitFor();
    await tab.screenshot('forbidden');

    // An expired or revoked token: the next API call answers 401 and the console goes to login.
    await page.evaluate(() => localStorage.setItem('butler.token', 'expired.token.value'));
    await page.goto('/');
    await page.waitForURL(/\/login/);
    expect(await page.getByRole('alert').innerText()).toContain('登录已过期');
    await tab.screenshot('expired');
    expect(tab.errors.filter((e) => !/status of (401)/.test(e))).toEqual([]);
  });

  it('fits a 390 px phone with the menu in a drawer', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: '陈思远' });
    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await page.goto('/login');
    await page.getByLabel('邮箱').fill(manager.email);
    await page.getByLabel('密码').fill('password-123');
    await page.keyboard.press('Enter');
    await page.getByText('陈思远').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('menuitem', { name: /满意度看板/ }).click();
    await page.waitForURL(/\/manager\/scorecard$/);
    await tab.screenshot('phone');
    expect(tab.errors).toEqual([]);
  });
});
