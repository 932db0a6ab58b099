import { randomInt } from 'node:crypto';

import { seedDemo } from '@app/demo';

import {
  BrowserApp,
  pickOption,
  selectOption,
  signIn,
  startBrowserApp,
  TestBrowser,
  TestPage,
} from './support/browser';
import { uniqueMobile } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// The manager's console in a real browser, on the demo team (a year of survey answers, cases in
// every status): reassign a client, read the scorecard, move a case along the after-sales board,
// and create a greeting campaign that really sends (workers + an SMTP sink) and watch it finish.
// Other tests share the database, so the test makes its own clients and case and leaves the
// demo rows as they are.
describe('manager console', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: TestBrowser;
  let baseURL: string;
  let manager: string;
  let butlers: Record<string, string>;

  let env: BrowserApp | undefined;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    ({ t, browser, baseURL } = env = await startBrowserApp({ withWorkers: true, env: { SMTP_URL: sink.url } }));
    await seedDemo(t.db);
    manager = await t.login('manager@demo.butler.local', 'demo-butler-2026');
    const team = await t.as(manager).get('/api/v1/users?role=butler');
    butlers = Object.fromEntries((team.body.items as { id: string; name: string }[]).map((u) => [u.name, u.id]));
  });
  afterAll(async () => {
    await Promise.allSettled([env?.close(), sink?.stop()]);
  });

  const option = (tab: TestPage, text: string | RegExp) => selectOption(tab.page, text);

  async function signInAsManager(tab: TestPage): Promise<void> {
    await signIn(tab, 'manager@demo.butler.local', 'demo-butler-2026');
    await tab.page.getByText('陈思远').first().waitFor();
  }

  const newClient = async (name: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.as(manager).post('/api/v1/customers', {
      name,
      mobile: uniqueMobile(),
      email: `mgr-${randomInt(0, 1e9)}@example.com`,
      tier: 'gold',
      butlerId: butlers['林静怡'],
      consent: { greetings: true, surveys: true, source: 'store' },
      ...overrides,
    });
    if (res.status !== 201) throw new Error(`create client failed: ${res.status} ${res.text}`);
    return res.body as { id: string; name: string; email: string };
  };

  it('reassigns a client and reads the team scorecard', async () => {
    const suffix = randomInt(1000, 9999);
    const client = await newClient(`移交客户${suffix}`);
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signInAsManager(tab);

    await page.getByRole('menuitem', { name: /回访分派/ }).click();
    await page.waitForURL(/\/manager\/follow-ups$/);
    await page.getByRole('tab', { name: '客户移交' }).click();
    await page
      .getByRole('searchbox', { name: '姓名、拼音首字母或手机尾号' })
      .or(page.getByLabel('姓名、拼音首字母或手机尾号'))
      .first()
      .fill(client.name);
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: client.name });
    await row.waitFor();
    await row.getByRole('checkbox').check();
    await page.getByText('已选 1 项').waitFor();
    await page.getByLabel('移交给').click();
    await option(tab, '王浩然').click();
    await tab.screenshot('reassign');
    await page
      .getByRole('button', { name: '移 交' })
      .or(page.getByRole('button', { name: '移交', exact: true }))
      .click();
    // The transfer is confirmed first (issue 15).
    const confirm = page.getByRole('dialog').filter({ hasText: '确认移交客户' });
    await confirm.getByText('将所选 1 位客户移交给 王浩然，他们的待办回访和未结售后工单一并移交。').waitFor();
    await tab.screenshot('reassign-confirm');
    await confirm.getByRole('button', { name: '确认移交' }).click();
    await page.getByText(`已将 1 位客户移交给 王浩然`).waitFor();
    await row.getByText('王浩然').waitFor();
    const after = await t.as(manager).get(`/api/v1/customers/${client.id}`);
    expect(after.body.butlerId).toBe(butlers['王浩然']);
    await tab.screenshot('reassigned');

    await page.getByRole('menuitem', { name: /满意度看板/ }).click();
    await page.waitForURL(/\/manager\/scorecard$/);
    const table = page.getByRole('table');
    for (const name of ['林静怡', '王浩然', '周婉清'])
      await table.getByRole('row').filter({ hasText: name }).first().waitFor();
    // The demo team was answering all year: every butler has responses and a ranking score.
    const linRow = table.getByRole('row').filter({ hasText: '林静怡' }).first();
    expect(await linRow.innerText()).toMatch(/\d+\.\d%/);
    await page.getByRole('img', { name: 'SERVQUAL 服务质量雷达' }).locator('canvas').waitFor();
    await page.getByRole('img', { name: '趋势' }).locator('canvas').waitFor();
    await page.getByRole('img', { name: '满意度驱动因素' }).locator('canvas').waitFor();
    await page.getByText(/首要驱动因素：/).waitFor();
    // The ranking method is explained on the column.
    await page.getByRole('img', { name: '排名方法' }).hover();
    await page.getByRole('tooltip').filter({ hasText: 'Wilson' }).waitFor();
    await page.getByText('按月').click();
    await page.waitForTimeout(500);
    await tab.screenshot('scorecard');

    await page.getByRole('menuitem', { name: /流失风险/ }).click();
    await page.waitForURL(/\/manager\/churn$/);
    await page.getByRole('table').waitFor();
    await page.getByText('以下客户存在流失风险').waitFor();
    await tab.screenshot('churn');
    expect(tab.errors).toEqual([]);
  });

  it('opens a case on the after-sales board and moves it along legal transitions only', async () => {
    const suffix = randomInt(1000, 9999);
    const client = await newClient(`售后客户${suffix}`);
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signInAsManager(tab);
    await page.getByRole('menuitem', { name: /售后/ }).click();
    await page.waitForURL(/\/cases$/);
    // The demo team has cases in every column.
    for (const status of ['open', 'in_progress', 'resolved', 'closed'])
      await page.getByTestId(`column-${status}`).getByTestId('case-card').first().waitFor();
    await tab.screenshot('board');

    await page.getByRole('button', { name: '新建工单' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('客户').fill(client.name);
    await option(tab, client.name).click();
    await pickOption(page, dialog.getByLabel('类型'), '质量问题');
    await dialog.getByLabel('问题描述').fill('封口渗漏，要求换货');
    await tab.screenshot('new-case');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    // The new case opens in the drawer with its SLA times.
    const drawer = page.getByRole('dialog').filter({ hasText: '工单详情' });
    await drawer.getByText('受理时间').waitFor();
    await drawer.getByText('尚未发生').first().waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    const openColumn = page.getByTestId('column-open');
    const card = openColumn.getByTestId('case-card').filter({ hasText: client.name });
    await card.waitFor();
    // Only the legal move is offered: open → in_progress.
    expect(await card.getByRole('button').allInnerTexts()).toEqual(expect.arrayContaining(['开始处理']));
    expect(await card.getByRole('button', { name: /标记已解决|关闭工单/ }).count()).toBe(0);
    // HTML5 drag and drop needs source and target on screen together: the SLA marks made the cards
    // taller, and the new case is the sixth of its column.
    await page.setViewportSize({ width: 1280, height: 1800 });
    await card.scrollIntoViewIfNeeded();
    // Dragging it straight to 已关闭 is refused (no drop target there): it stays open.
    await card.dragTo(page.getByTestId('column-closed'));
    await page.waitForTimeout(300);
    expect(await openColumn.getByTestId('case-card').filter({ hasText: client.name }).count()).toBe(1);
    // Dragging to 处理中 is a legal move.
    await card.dragTo(page.getByTestId('column-in_progress'));
    const moved = page.getByTestId('column-in_progress').getByTestId('case-card').filter({ hasText: client.name });
    await moved.waitFor();
    await page.getByText('已更新为「处理中」').waitFor();
    // Then by button: 标记已解决.
    await moved.getByRole('button', { name: '标记已解决' }).click();
    const resolved = page.getByTestId('column-resolved').getByTestId('case-card').filter({ hasText: client.name });
    await resolved.waitFor();
    expect(await resolved.getByRole('button', { name: '重新处理' }).count()).toBe(1);
    await resolved.getByRole('button', { name: /查看/ }).click();
    await drawer.getByText('解决用时').waitFor();
    await drawer.getByLabel('添加记录').fill('已寄出新品，客户确认收到');
    await drawer.getByRole('button', { name: '添加记录' }).click();
    await drawer.getByText('已寄出新品，客户确认收到').waitFor();
    await drawer.getByText(/状态变更：处理中 → 已解决/).waitFor();
    await tab.screenshot('case-drawer');

    const [c] = (await t.as(manager).get(`/api/v1/cases?customerId=${client.id}`)).body.items;
    expect(c.status).toBe('resolved');
    expect(c.firstResponseAt).not.toBeNull();
    expect(tab.errors).toEqual([]);
  });

  it('creates a greeting campaign, previews it, confirms it, watches it finish and retries a failure', async () => {
    const suffix = randomInt(1000, 9999);
    const tag = `中秋测试${suffix}`;
    const consenting: string[] = [];
    for (let i = 0; i < 3; i++) consenting.push((await newClient(`问候客户${suffix}-${i}`, { tags: [tag] })).email);
    const refusing = (
      await newClient(`问候客户${suffix}-拒收`, {
        tags: [tag],
        consent: { greetings: false, surveys: true, source: 'store' },
      })
    ).email;
    // The database is shared with other test files, whose due mail this app's workers may send
    // through this sink too: count only what reached this campaign's clients.
    const mailTo = (address: string) => sink.received.filter((m) => m.to.includes(address)).length;
    // The default custom template, which managers may read (a festival's template is offered only for its festival).
    const templates = await t.as(await t.adminToken()).get('/api/v1/templates');
    const template = (
      templates.body.items as { id: string; name: string; occasion: string; isDefault: boolean }[]
    ).find((x) => x.occasion === 'custom' && x.isDefault)!;

    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signInAsManager(tab);
    await page.getByRole('menuitem', { name: /节日问候/ }).click();
    await page.waitForURL(/\/manager\/campaigns$/);
    await page.getByRole('button', { name: '新建问候' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill(`中秋问候 ${suffix}`);
    // The festivals are listed with their next date. A festival greeting cannot go out months
    // early or after its day, so one to send now is a custom occasion with the custom template.
    await dialog.getByLabel('节日').click();
    await option(tab, /中秋节（\d{4}-\d{2}-\d{2}）/).waitFor();
    await page.keyboard.press('Escape');
    await pickOption(page, dialog.getByLabel('节日'), '自定义');
    // The 中秋 template does not fit a custom occasion: it is not offered.
    await dialog.getByLabel('消息模板').click();
    await option(tab, `${template.name}（自定义）`).waitFor();
    expect(
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: '中秋节问候' })
        .count(),
    ).toBe(0);
    await page.keyboard.press('Escape');
    await pickOption(page, dialog.getByLabel('消息模板'), `${template.name}（自定义）`);
    await dialog.getByLabel('发送时间').click();
    await page.getByText('立即发送').click();
    await tab.screenshot('campaign-basics');
    await dialog.getByRole('button', { name: '下一步' }).click();

    await dialog.getByLabel('客户标签').pressSequentially(tag);
    await option(tab, tag).waitFor();
    await page.keyboard.press('Enter');
    await dialog.locator('.ant-select-selection-item').filter({ hasText: tag }).waitFor();
    // Click outside the select to close its list.
    await dialog.getByText('范围').click();
    await page.locator('.ant-select-dropdown').filter({ visible: true }).waitFor({ state: 'hidden' });
    await tab.screenshot('campaign-audience');
    await dialog.getByRole('button', { name: '预览受众' }).click();
    // Draft: the audience, whom it reaches and whom it skips (and why), before anything is sent.
    const confirm = dialog.getByTestId('campaign-confirm');
    await confirm.getByTestId('audience-count').getByText('4').waitFor();
    await confirm.getByTestId('reachable-count').getByText('3').waitFor();
    await confirm.getByTestId('skipped-by').getByText('不同意接收问候').waitFor();
    // The greeting as three of its clients will read it (the custom template: 「称呼，您好」), one tab each.
    const tabs = confirm.getByRole('tab');
    expect(await tabs.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const name = await tabs.nth(i).innerText();
      expect(name).toMatch(new RegExp(`^问候客户${suffix}-\\d$`));
      await tabs.nth(i).click();
      const sample = confirm.getByRole('tabpanel').filter({ visible: true }).getByTestId('campaign-sample');
      await sample.getByText(`主题：${name}，您好`).waitFor();
      expect(await sample.innerText()).toContain('如不希望再收到节日与生日问候，可在此退订');
    }
    // 立即发送 is now by the wall clock, which may be night in Shanghai: then the tick is asked for.
    if (await confirm.getByTestId('quiet-warning').isVisible())
      await confirm.getByRole('checkbox', { name: '我确认在夜间发送' }).check();
    await tab.screenshot('campaign-preview');
    expect([...consenting, refusing].map(mailTo)).toEqual([0, 0, 0, 0]);
    // One client's mailbox refuses the greeting (550) until the manager has it fixed.
    sink.reply = (address) => (address === consenting[2] ? 550 : undefined);
    await dialog.getByRole('button', { name: '确认发送' }).click();

    const drawer = page.getByRole('dialog').filter({ hasText: '发送进度' });
    await drawer.getByText(`中秋问候 ${suffix}`).waitFor();
    // Should it never show, the failure says what the API knew of the campaign at that moment.
    await drawer
      .getByRole('progressbar')
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        const list = await t.as(manager).get('/api/v1/campaigns');
        await tab.screenshot('campaign-no-progress');
        const ours = (list.body.items as { name: string }[]).filter((x) => x.name === `中秋问候 ${suffix}`);
        throw new Error(`no progress bar; the API says ${JSON.stringify(ours)}`, { cause: error });
      });
    await drawer.getByText('已完成（部分失败）', { exact: true }).waitFor({ timeout: 30_000 });
    const bar = drawer.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await bar.innerText()).toContain('100%');
    await drawer.getByText('不同意接收问候').waitFor();
    await drawer.getByText('对方拒收（地址无效或被拒）').waitFor();
    // The subject is the template's: its placeholder is named, not shown as {{customer.salutation}}.
    await drawer.getByText('〔称呼〕，您好', { exact: true }).waitFor();
    expect(await drawer.innerText()).not.toContain('{{');
    await tab.screenshot('campaign-finished-with-failures');
    expect([...consenting, refusing].map(mailTo)).toEqual([1, 1, 0, 0]);

    // The mailbox is fixed: 重试失败消息 says how many go again, and sends only that one.
    sink.reply = () => undefined;
    await drawer.getByRole('button', { name: '重试失败消息' }).click();
    const ask = page.getByRole('dialog').filter({ hasText: '将重新发送 1 条失败消息' });
    // (antd spaces a two-character label: 重 试.)
    await ask.getByRole('button', { name: /^重\s?试$/ }).click();
    await drawer.getByText('已完成', { exact: true }).waitFor({ timeout: 30_000 });
    await tab.screenshot('campaign-finished');
    // One greeting to each consenting client, none to the one who refused.
    expect([...consenting, refusing].map(mailTo)).toEqual([1, 1, 1, 0]);
    await drawer.getByRole('button', { name: '重试失败消息' }).waitFor({ state: 'detached' });
    expect(tab.errors).toEqual([]);
  });

  it('warns of a night send time and confirms it only with an explicit tick', async () => {
    const suffix = randomInt(1000, 9999);
    const tag = `夜间测试${suffix}`;
    await newClient(`夜间客户${suffix}`, { tags: [tag] });
    await newClient(`夜间无邮${suffix}`, { tags: [tag], email: null });
    const templates = await t.as(await t.adminToken()).get('/api/v1/templates');
    const template = (templates.body.items as { name: string; occasion: string; isDefault: boolean }[]).find(
      (x) => x.occasion === 'custom' && x.isDefault,
    )!;
    // 04:10 on a day next year: always ahead, always at night in Shanghai.
    const night = `${new Date().getFullYear() + 1}-03-10 04:10`;

    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await signInAsManager(tab);
    await page.getByRole('menuitem', { name: /节日问候/ }).click();
    await page.waitForURL(/\/manager\/campaigns$/);
    await page.getByRole('button', { name: '新建问候' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill(`夜间问候 ${suffix}`);
    await pickOption(page, dialog.getByLabel('节日'), '自定义');
    await pickOption(page, dialog.getByLabel('消息模板'), `${template.name}（自定义）`);
    await dialog.getByLabel('发送时间').click();
    await dialog.getByLabel('发送时间').fill(night);
    await page.keyboard.press('Enter');
    await dialog.getByTestId('quiet-hint').getByText('所选时间在夜间（21:00–次日 08:00）', { exact: false }).waitFor();
    await tab.screenshot('night-basics');
    await dialog.getByRole('button', { name: '下一步' }).click();
    await dialog.getByLabel('客户标签').pressSequentially(tag);
    await option(tab, tag).waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByText('范围').click();
    await dialog.getByRole('button', { name: '预览受众' }).click();

    const confirm = dialog.getByTestId('campaign-confirm');
    const warning = confirm.getByTestId('quiet-warning');
    await warning.getByText('发送时间 04:10 在夜间（21:00–次日 08:00），客户可能正在休息。').waitFor();
    await confirm.getByTestId('skipped-by').getByText('已同意但无可用联系方式').waitFor();
    const send = dialog.getByRole('button', { name: '确认发送' });
    expect(await send.isDisabled()).toBe(true);
    await tab.screenshot('night-confirm');
    await warning.getByRole('checkbox', { name: '我确认在夜间发送' }).check();
    expect(await send.isDisabled()).toBe(false);
    await send.click();
    const drawer = page.getByRole('dialog').filter({ hasText: '发送进度' });
    await drawer.getByText('已排期').waitFor();
    const list = await t.as(manager).get('/api/v1/greetings/campaigns');
    const created = (list.body.items as { id: string; name: string; status: string; sendAt: string }[]).find(
      (x) => x.name === `夜间问候 ${suffix}`,
    )!;
    expect(created.status).toBe('scheduled');
    expect(new Date(created.sendAt).toISOString()).toBe(new Date(`${night.replace(' ', 'T')}:00+08:00`).toISOString());
    // Cancelled again: it must not go out when this database is next used.
    await t.as(manager).patch(`/api/v1/greetings/campaigns/${created.id}`, { status: 'cancelled' });
    expect(tab.errors).toEqual([]);
  });

  it('fits a 390 px phone: the board and the scorecard', async () => {
    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    await signInAsManager(tab);
    await page.goto('/cases');
    await page.getByTestId('column-open').getByTestId('case-card').first().waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('phone-board');
    await page.goto('/manager/scorecard');
    // On a phone the scorecard is a card per butler, not the wide table.
    await page.getByTestId('butler-card').filter({ hasText: '林静怡' }).first().waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await page.getByRole('img', { name: 'SERVQUAL 服务质量雷达' }).locator('canvas').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('phone-scorecard');
    expect(tab.errors).toEqual([]);
  });
});
