import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { Clock } from '@app/common';

import { BrowserApp, pickOption, selectOption, signIn, startBrowserApp, TestBrowser } from './support/browser';
import { customerBody, uniqueMobile } from './support/factories';
import { TestApp } from './support/test-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// The admin pages in a real browser: users and teams, settings, templates with a rendered preview,
// the CSV import with its per-row error report, and the export.
describe('web console: admin pages', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let admin: string;
  let savedSettings: Record<string, unknown> | undefined;

  let env: BrowserApp | undefined;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    admin = await t.adminToken();
  });
  afterAll(async () => {
    // Other test files share the database: put back the settings this one changed.
    if (savedSettings) await t.as(admin).patch('/api/v1/settings', savedSettings);
    await env?.close();
  });

  // Ant Design spaces two-character button labels (保 存).
  const save = /保\s?存/;

  it('an admin creates a manager and a butler, changes a setting and previews a template', async () => {
    const suffix = String(randomInt(1000, 9999));
    const managerName = `周经理${suffix}`;
    const butlerName = `林管家${suffix}`;
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);

    // Users: a manager (first with an email already taken: said in Chinese on the field).
    await page.goto('/admin/users');
    await page.getByRole('button', { name: '新建用户' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('邮箱').fill(ADMIN_EMAIL);
    await dialog.getByLabel('姓名').fill(managerName);
    await pickOption(page, dialog.getByLabel('角色'), '经理');
    await dialog.getByLabel('初始密码').fill('password-123');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.locator('.ant-form-item-explain-error').filter({ hasText: '该邮箱已被其他用户使用' }).waitFor();
    await tab.screenshot('users-inline-error');
    const managerEmail = `manager-${suffix}-${randomInt(0, 1e6)}@test.local`;
    await dialog.getByLabel('邮箱').fill(managerEmail);
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Other test files add users to the same database: find ours by name.
    await page.getByLabel('搜索姓名或邮箱').fill(suffix);
    await page.getByRole('cell', { name: managerName, exact: true }).waitFor();

    // A butler in that manager's team.
    await page.getByRole('button', { name: '新建用户' }).click();
    dialog = page.getByRole('dialog');
    const butlerEmail = `butler-${suffix}-${randomInt(0, 1e6)}@test.local`;
    await dialog.getByLabel('邮箱').fill(butlerEmail);
    await dialog.getByLabel('姓名').fill(butlerName);
    await pickOption(page, dialog.getByLabel('所属经理'), `${managerName}（${managerEmail}）`);
    await dialog.getByLabel('初始密码').fill('password-123');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });
    const butlerRow = page.getByRole('row').filter({ hasText: butlerEmail });
    await butlerRow.waitFor();
    expect(await butlerRow.innerText()).toContain(managerName);

    // Edit: rename the butler.
    await butlerRow.getByRole('button', { name: `编辑 ${butlerName}` }).click();
    dialog = page.getByRole('dialog');
    // The form is filled from the user once the dialog opens: wait for it before typing.
    await dialog.locator(`input[value="${butlerName}"]`).waitFor();
    await dialog.getByLabel('姓名').fill(`${butlerName}（资深）`);
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: `${butlerName}（资深）`, exact: true }).waitFor();
    await tab.screenshot('users');

    const users = (await t.as(admin).get('/api/v1/users?role=butler')).body.items as {
      id: string;
      email: string;
      name: string;
      managerId: string;
    }[];
    const butler = users.find((u) => u.email === butlerEmail)!;
    expect(butler.name).toBe(`${butlerName}（资深）`);

    // The manager's mobile and SMS alerts (detractor alerts by SMS).
    const managerMobile = `13${randomInt(3, 10)}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    await page
      .getByRole('row')
      .filter({ hasText: managerEmail })
      .getByRole('button', { name: `编辑 ${managerName}` })
      .click();
    dialog = page.getByRole('dialog');
    await dialog.locator(`input[value="${managerName}"]`).waitFor();
    await dialog
      .getByLabel('手机号')
      .fill(`${managerMobile.slice(0, 3)} ${managerMobile.slice(3, 7)} ${managerMobile.slice(7)}`);
    await dialog.getByRole('checkbox', { name: '短信' }).check();
    await tab.screenshot('users-alert-channels');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });
    const managers = (await t.as(admin).get('/api/v1/users?role=manager')).body.items as {
      email: string;
      mobile: string | null;
      alertChannels: string[];
    }[];
    expect(managers.find((u) => u.email === managerEmail)).toMatchObject({
      mobile: managerMobile,
      alertChannels: ['email', 'sms'],
    });

    // The team view lists the butler under the manager.
    await page.getByRole('tab', { name: '团队' }).click();
    const team = page.locator(`[data-testid="team-${butler.managerId}"]`);
    await team.getByText(`${managerName} 的团队`).waitFor();
    expect(await team.innerText()).toContain(`${butlerName}（资深）`);
    await tab.screenshot('teams');

    // Settings: a value the API refuses says its rule in Chinese on the field; a good one is saved.
    savedSettings = (await t.as(admin).get('/api/v1/settings')).body as Record<string, unknown>;
    // Settings are shared by every test file: start from no SMS greeting templates (another file
    // may have entered some), so the one added below is the only one. Restored after.
    const noGreetings = await t.as(admin).patch('/api/v1/settings', {
      sms: { templates: { ...(savedSettings.sms as { templates: object }).templates, greetings: [] } },
    });
    expect(noGreetings.status).toBe(200);
    await page.goto('/admin/settings');
    await page.getByRole('tab', { name: '满意度调查' }).click();
    const cooldown = page.getByLabel('同一客户调查间隔（天）');
    await cooldown.fill('-1');
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '不能小于 0' }).waitFor();
    await tab.screenshot('settings-inline-error');
    const original = (savedSettings.surveys as { cooldownDays: number }).cooldownDays;
    const changed = original === 15 ? 16 : 15;
    await cooldown.fill(String(changed));
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.getByText('满意度调查已保存').waitFor();
    expect((await t.as(admin).get('/api/v1/settings')).body.surveys.cooldownDays).toBe(changed);
    await page.reload();
    await page.getByRole('tab', { name: '满意度调查' }).click();
    expect(await page.getByLabel('同一客户调查间隔（天）').inputValue()).toBe(String(changed));
    await tab.screenshot('settings-saved');

    // SMS templates: the approved text beside its code, a preview with its length and SMS count;
    // a greeting text without 回T退订 is refused on the field.
    await page.getByRole('tab', { name: '短信' }).click();
    await page.getByRole('button', { name: '添加问候模板' }).click();
    await page.getByLabel('模板编号').first().fill('SMS_276390001');
    const smsText = page.getByLabel('审核通过的模板原文').first();
    await smsText.fill('${name}您好，${festival}将至，${butler}祝您节日快乐。');
    await page.getByText('预览：25 字，按 1 条计费', { exact: false }).waitFor();
    expect(await page.getByTestId('sms-preview').first().innerText()).toBe(
      '【签名】王先生您好，中秋节将至，李娜祝您节日快乐。',
    );
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '回T退订' }).waitFor();
    await smsText.fill('${name}您好，${festival}将至，${butler}祝您节日快乐。回T退订');
    await page.getByText('预览：29 字，按 1 条计费', { exact: false }).waitFor();
    await tab.screenshot('settings-sms');
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.getByText('短信已保存').waitFor();
    expect((await t.as(admin).get('/api/v1/settings')).body.sms.templates.greetings).toEqual([
      {
        occasion: 'custom',
        code: 'SMS_276390001',
        text: '${name}您好，${festival}将至，${butler}祝您节日快乐。回T退订',
      },
    ]);

    // 企业微信: the secret is typed once, saved encrypted and never shown again (已设置).
    await page.getByRole('tab', { name: '企业微信' }).click();
    await page.getByLabel('企业ID（CorpID）').fill('ww0123456789abcdef');
    await page.getByLabel('客户联系 Secret').fill('console-contact-secret-0123456789');
    await page.getByLabel('启用企业微信').click();
    await tab.screenshot('settings-wecom');
    await page.getByRole('button', { name: save }).filter({ visible: true }).click();
    await page.getByText('企业微信已保存').waitFor();
    const wecom = (await t.as(admin).get('/api/v1/settings')).body.wecom;
    expect(wecom).toMatchObject({ corpId: 'ww0123456789abcdef', enabled: true, contactSecretSet: true });
    expect(await page.getByLabel('客户联系 Secret').inputValue()).toBe('');
    await t.as(admin).patch('/api/v1/settings', { wecom: { enabled: false, contactSecret: null, corpId: null } });

    // Templates: an unknown placeholder is refused inline; the tags insert known ones.
    // A four-character name with a two-character surname: the salutation is 欧阳先生.
    const mobile = uniqueMobile();
    const client = await t
      .as(admin)
      .post('/api/v1/customers', customerBody({ name: '欧阳明远', mobile, gender: 'male', butlerId: butler.id }));
    expect(client.status).toBe(201);
    const templateName = `中秋问候 ${suffix}`;
    await page.goto('/admin/templates');
    await page.getByRole('button', { name: '新建模板' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('模板名称').fill(templateName);
    await dialog.getByLabel('邮件标题').fill('{{customer.nam}}，中秋快乐');
    const body = dialog.getByLabel('正文');
    await body.fill('尊敬的');
    await body.press('End');
    await dialog.getByRole('button', { name: /^\{\{customer\.salutation\}\}/ }).click();
    await body.press('End');
    await body.pressSequentially('，祝您中秋快乐！');
    await dialog.getByRole('button', { name: /^\{\{butler\.name\}\}/ }).click();
    expect(await body.inputValue()).toBe('尊敬的{{customer.salutation}}，祝您中秋快乐！{{butler.name}}');
    await dialog.getByRole('button', { name: save }).click();
    await dialog
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: '未知的占位符「customer.nam」，请从列表中选择' })
      .waitFor();
    await tab.screenshot('template-inline-error');
    await dialog.getByLabel('邮件标题').fill('{{customer.name}}，中秋快乐');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Found by searching (other tests' templates share the list), then previewed, first with the
    // sample client, then with a client picked by search.
    await page.getByLabel('搜索模板名称或标题').fill(templateName);
    await page.getByRole('button', { name: `预览 ${templateName}` }).click();
    const preview = page.getByTestId('template-preview');
    await preview.getByText('王建国，中秋快乐').waitFor();
    await page.getByLabel('预览客户').fill('欧阳明远');
    await selectOption(page, mobile).click();
    await preview.getByText('欧阳明远，中秋快乐').waitFor();
    expect(await preview.innerText()).toContain(`尊敬的欧阳先生，祝您中秋快乐！${butlerName}（资深）`);
    await tab.screenshot('template-preview');

    expect(tab.errors.filter((e) => !/status of 4(00|09)/.test(e))).toEqual([]);
  });

  it('an admin imports a CSV with one bad row, sees it reported, and exports', async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '吴管家' });
    const butlerId = butler.id;
    const suffix = String(randomInt(1000, 9999));
    const csv = [
      '姓名,手机,管家邮箱,等级,标签',
      `孙立明${suffix},${uniqueMobile()},${butler.email},金卡,企业客户`,
      `周海燕${suffix},12345,${butler.email},普通,`,
      `吴国强${suffix},${uniqueMobile()},${butler.email},银卡,`,
    ].join('\r\n');
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto('/admin/import');
    await page.getByText('点击或拖拽 CSV 文件到此处上传').waitFor();
    await tab.screenshot('import-page');

    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const result = page.getByTestId('import-result');
    await result.getByText('导入完成：新建 2，更新 0，失败 1 行').waitFor();
    const errorRow = page.getByTestId('import-errors').getByRole('row').filter({ hasText: '手机' });
    const cells = await errorRow.getByRole('cell').allInnerTexts();
    expect(cells[0]).toBe('2');
    expect(cells[1]).toBe('手机');
    expect(cells[2]).toBe('请输入有效的中国大陆手机号');
    await tab.screenshot('import-result');

    // Export the butler's clients: the file is the import's format, with the two good rows.
    await pickOption(page, page.getByLabel('管家', { exact: true }), '吴管家');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF姓名,手机,邮箱')).toBe(true);
    expect(text).toContain(`孙立明${suffix}`);
    expect(text).toContain(`吴国强${suffix}`);
    expect(text).not.toContain(`周海燕${suffix}`);
    await page.getByText(`已导出 ${download.suggestedFilename()}`).waitFor();
    await tab.screenshot('exported');
    expect((await t.as(admin).get(`/api/v1/customers?butlerId=${butlerId}`)).body.items).toHaveLength(2);
    expect(tab.errors).toEqual([]);
  });

  it('a manager edits the catalog on a phone, prices in yuan', async () => {
    const manager = await t.createUser(admin, { role: 'manager', name: '钱经理' });
    const sku = `T-${randomInt(0, 1e9)}`;
    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await signIn(tab, manager.email, 'password-123');
    await page.goto('/admin/catalog');
    await page.getByRole('button', { name: /新建产品/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('SKU').fill(sku);
    await dialog.getByLabel('名称').fill('测试年份酱香 53%vol 500ml');
    await dialog.getByLabel('品牌').fill('测试酒厂');
    await pickOption(page, dialog.getByLabel('香型'), '酱香');
    await dialog.getByLabel('价格 (元)').fill('1,099.5');
    await dialog.getByLabel('酒精度 (%vol)').fill('53');
    await dialog.getByLabel('年份').fill('2015');
    await dialog.getByRole('button', { name: save }).click();
    await dialog.waitFor({ state: 'hidden' });
    const product = (await t.as(admin).get(`/api/v1/products?q=${sku}`)).body.items[0] as {
      priceFen: number;
      volumeMl: number;
      vintage: number;
    };
    expect(product).toMatchObject({ priceFen: 109950, volumeMl: 500, vintage: 2015 });
    await page.getByLabel('搜索名称、SKU 或品牌').fill(sku);
    await page.keyboard.press('Enter');
    await page.getByRole('row').filter({ hasText: sku }).getByText('¥1,099.50').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('catalog-phone');

    // The import page fits the phone too.
    await page.goto('/admin/import');
    await page.getByText('点击或拖拽 CSV 文件到此处上传').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('import-phone');
    expect(tab.errors).toEqual([]);
  });
  it(
    "an admin is reminded from 1 November to enter next year's 调休 notice, " + 'and sees each bad line in Chinese',
    async () => {
      // A year no other test enters: the app's clock in November 2092, so 2093 is "next year".
      const clock = t.app.get(Clock);
      clock.travelTo(new Date('2092-11-15T10:00:00+08:00'));
      try {
        const tab = await browser.open('desktop', { baseURL });
        const { page } = tab;
        await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);
        const banner = page.getByText('2093 年的节假日调休安排尚未录入', { exact: false });
        await banner.waitFor();
        await tab.screenshot('holiday-reminder');
        await page.getByRole('button', { name: '去录入' }).click();
        await page.waitForURL((url) => url.pathname === '/admin/holidays' && url.searchParams.get('year') === '2093');
        await page.getByText('仅法定节假日').waitFor();
        await page.getByRole('cell', { name: '2093-01-01 周四' }).waitFor();

        await page.getByRole('button', { name: '录入调休安排' }).click();
        const dialog = page.getByRole('dialog');
        await dialog
          .getByLabel('调休安排（每行一条）')
          .fill('2093-01-01~2093-01-03 休 元旦\n2092-12-31 休 元旦\n2093-01-04 rest 元旦');
        await dialog.getByLabel('通知文号').fill('国办发明电〔2092〕9号');
        await dialog.getByRole('button', { name: save }).click();
        await dialog.getByText('第 2 行：日期不在 2093 年内（2092-12-31 休 元旦）').waitFor();
        await dialog.getByText('第 3 行：类型只能是 holiday（休）或 workday（班）', { exact: false }).waitFor();
        await tab.screenshot('holiday-line-errors');
        expect((await t.as(admin).get('/api/v1/holidays?year=2093')).body.source).toBe('statutory');

        await dialog.getByLabel('调休安排（每行一条）').fill('2093-01-01~2093-01-03 休 元旦\n2093-01-04 班 元旦');
        await dialog.getByRole('button', { name: save }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page.getByText('官方安排（已录入）').waitFor();
        await page.getByRole('row').filter({ hasText: '2093-01-04' }).getByText('调休上班').waitFor();
        await page.getByText('依据：国办发明电〔2092〕9号', { exact: false }).waitFor();
        await banner.waitFor({ state: 'hidden' });
        await tab.screenshot('holiday-entered');
        expect((await t.as(admin).get('/api/v1/holidays?year=2093')).body).toMatchObject({
          source: 'official',
          schedule: 'entered',
        });

        // A phone reads the same page without sideways scrolling.
        const phone = await browser.open('phone', { baseURL });
        await signIn(phone, ADMIN_EMAIL, ADMIN_PASSWORD);
        await phone.page.goto('/admin/holidays?year=2093');
        await phone.page.getByText('官方安排（已录入）').waitFor();
        expect(await phone.horizontalOverflow()).toBe(0);
        await phone.screenshot('holidays-phone');
        expect(tab.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
        expect(phone.errors).toEqual([]);
      } finally {
        clock.reset();
        await t.as(admin).delete('/api/v1/holidays/2093');
      }
    },
  );
});
