import { randomInt } from 'node:crypto';

import { BrowserApp, pickOption, signIn, startBrowserApp, TestBrowser, TestPage } from './support/browser';
import { customerBody, uniqueMobile } from './support/factories';
import { TestApp } from './support/test-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// Every error the console meets is said in Chinese from the API's code and field rules: the
// server's English messages ("mobile must be…", "email is already used…") never reach a screen.
// Each page's errors are triggered for real and the whole page's text is read.
const ENGLISH_SENTENCE =
  /must be|must not|should not|not found|already|is required|is not|cannot|Failed to fetch|Internal server error/i;

describe('web console: errors in Chinese', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let admin: string;
  let env: BrowserApp | undefined;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await env?.close();
  });

  const save = /保\s?存/;

  // The page's visible text has no English sentence from the server.
  async function expectNoEnglish(tab: TestPage): Promise<void> {
    const text = await tab.page.locator('body').innerText();
    expect(text).not.toMatch(ENGLISH_SENTENCE);
  }

  // What a failed request logs in the console is the browser's, not the page's.
  const pageErrors = (tab: TestPage): string[] =>
    tab.errors.filter((e) => !/status of (4\d\d|5\d\d)|net::ERR_/.test(e));

  it('the client form says each bad field, and a taken mobile, in Chinese under the field', async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const taken = uniqueMobile();
    expect((await t.as(butler.token).post('/api/v1/customers', customerBody({ mobile: taken }))).status).toBe(201);

    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, butler.email, 'password-123');
    await page.goto('/clients');
    await page.getByRole('button', { name: /新建客户/ }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('姓名').fill('测试客户');
    await form.getByLabel('手机号').fill('12345');
    await form.getByLabel('邮箱').fill('not-an-email');
    await form.getByRole('button', { name: save }).click();
    const item = (label: string) =>
      form.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
    await item('手机号').getByText('请输入有效的中国大陆手机号').waitFor();
    await item('邮箱').getByText('请输入有效的邮箱地址').waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('client-form-fields');

    // In 2 of 4 full runs under load the name was found empty here (the first save had sent it),
    // so the second save stopped at the required name and never asked the API. Not reproduced in
    // 10 runs of this test alone under load 7–15: say so in the log when it happens, and type the
    // name again as a user correcting the form would.
    const nameNow = await form.getByLabel('姓名').inputValue();
    if (nameNow !== '测试客户') {
      console.warn(`client form: the name was "${nameNow}" after the first save; API calls:\n${tab.apiLog.join('\n')}`);
      await tab.screenshot('client-form-name-lost');
      await form.getByLabel('姓名').fill('测试客户');
    }
    await form.getByLabel('手机号').fill(taken);
    await form.getByLabel('邮箱').fill('');
    await form.getByRole('button', { name: save }).click();
    await item('手机号')
      .getByText('该手机号已被其他客户使用')
      .waitFor()
      .catch(async (error: Error) => {
        await tab.screenshot('client-form-mobile-taken-timeout');
        throw new Error(`${error.message}\nAPI calls:\n${tab.apiLog.join('\n')}\nErrors: ${tab.errors.join('\n')}`);
      });
    await expectNoEnglish(tab);
    await tab.screenshot('client-form-mobile-taken');
    expect(pageErrors(tab)).toEqual([]);
  });

  it('settings, templates and users say what the API refused in Chinese', async () => {
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);

    // Settings: below the minimum. Nothing is saved, so other test files see the settings as they were.
    await page.goto('/admin/settings');
    await page.getByRole('tab', { name: '满意度调查' }).click();
    await page.getByLabel('同一客户调查间隔（天）').fill('-1');
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '不能小于 0' }).waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('settings');

    // Templates: an unknown placeholder and a block are refused under their fields.
    await page.goto('/admin/templates');
    await page.getByRole('button', { name: '新建模板' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('模板名称').fill(`错误测试 ${randomInt(1000, 9999)}`);
    await dialog.getByLabel('邮件标题').fill('{{customer.nam}}，中秋快乐');
    await dialog.getByLabel('正文').fill('{{#each customers}}{{name}}{{/each}}');
    await dialog.getByRole('button', { name: save }).click();
    await dialog
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: '未知的占位符「customer.nam」，请从列表中选择' })
      .waitFor();
    await dialog
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: '只能使用列表中的占位符，不支持其他模板语法' })
      .waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('templates');
    await dialog.getByRole('button', { name: /取\s?消/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Users: an email another user has, and a butler who still has clients cannot be deactivated.
    const manager = await t.createUser(admin, { role: 'manager' });
    const busyName = `忙碌管家${randomInt(1000, 9999)}`;
    const busy = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: busyName });
    expect((await t.as(busy.token).post('/api/v1/customers', customerBody())).status).toBe(201);
    await page.goto('/admin/users');
    await page.getByRole('button', { name: '新建用户' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('邮箱').fill(ADMIN_EMAIL);
    await dialog.getByLabel('姓名').fill('重复邮箱');
    await pickOption(page, dialog.getByLabel('角色'), '经理');
    await dialog.getByLabel('初始密码').fill('password-123');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.locator('.ant-form-item-explain-error').filter({ hasText: '该邮箱已被其他用户使用' }).waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('users-email-taken');
    await dialog.getByRole('button', { name: /取\s?消/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('搜索姓名或邮箱').fill(busyName);
    await page.getByRole('button', { name: `编辑 ${busyName}` }).click();
    dialog = page.getByRole('dialog');
    await dialog.locator(`input[value="${busyName}"]`).waitFor();
    await dialog.getByLabel('启用账号').click();
    await dialog.getByRole('button', { name: save }).click();
    await dialog.getByText('该管家名下仍有 1 位客户，请先转移给其他管家').waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('users-butler-has-work');
    expect(pageErrors(tab)).toEqual([]);
  });

  it('the import says each bad row and a bad header in Chinese', async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '郑管家' });
    const suffix = String(randomInt(1000, 9999));
    const csv = [
      '姓名,手机,管家邮箱,等级,邮箱',
      `孙立明${suffix},${uniqueMobile()},${butler.email},金卡,`,
      `周海燕${suffix},12345,${butler.email},普通,`,
      `吴国强${suffix},${uniqueMobile()},${butler.email},钻石卡,`,
      `郑秀英${suffix},${uniqueMobile()},${butler.email},普通,not-an-email`,
    ].join('\r\n');
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto('/admin/import');
    await page.getByText('点击或拖拽 CSV 文件到此处上传').waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-result').getByText('导入完成：新建 1，更新 0，失败 3 行').waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.getByText('请输入有效的中国大陆手机号').waitFor();
    await errors.getByText('请从可选项中选择').waitFor();
    await errors.getByText('请输入有效的邮箱地址').waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('import-rows');

    // A header the import does not know: the whole file is refused, naming the column.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('姓名,电话号码\r\n张三,13800000000'),
    });
    await page.getByText('无法识别的列：电话号码', { exact: false }).waitFor();
    await page.getByText('文件表头有误', { exact: false }).waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('import-header');
    expect(pageErrors(tab)).toEqual([]);
  });

  it('a network failure and a server error are said in Chinese with a retry that works', async () => {
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);

    // The users list cannot be fetched at all (offline): 网络连接失败, and 重试 loads it once back.
    const usersList = (url: URL) => url.pathname === '/api/v1/users';
    await page.route(usersList, (route) => route.abort('internetdisconnected'));
    await page.goto('/admin/users');
    await page.getByText('网络连接失败，请检查网络后重试').waitFor({ timeout: 40_000 });
    await expectNoEnglish(tab);
    await tab.screenshot('network-failure');
    await page.unroute(usersList);
    await page.getByRole('button', { name: /重\s?试/ }).click();
    await page.getByRole('button', { name: '新建用户' }).waitFor();
    await page.getByText('网络连接失败，请检查网络后重试').waitFor({ state: 'hidden' });

    // A 5xx: 服务器暂时无法处理.
    await page.route(
      (url) => url.pathname === '/api/v1/products',
      (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' }),
        }),
    );
    await page.goto('/admin/catalog');
    await page.getByText('服务器暂时无法处理，请稍后重试').waitFor({ timeout: 40_000 });
    await page.getByRole('button', { name: /重\s?试/ }).waitFor();
    await expectNoEnglish(tab);
    await tab.screenshot('server-error');
    expect(pageErrors(tab)).toEqual([]);
  });
});
