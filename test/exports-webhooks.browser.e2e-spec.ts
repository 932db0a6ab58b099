import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

import ExcelJS from 'exceljs';

import { Clock } from '@app/common';
import { verifySignature } from '@app/webhooks';

import { BrowserApp, settledBox, signIn, startBrowserApp, TestBrowser } from './support/browser';
import { customerBody, Team, twoTeams } from './support/factories';
import { FakeHttpServer } from './support/fake-http-server';
import { eventually, TestApp } from './support/test-app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-env';

jest.setTimeout(180_000);

// The integrator's receiver, on loopback: it checks each signature with the secret the page showed.
class Receiver extends FakeHttpServer {
  readonly verified: string[] = [];
  secret = '';

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const ok = verifySignature(this.secret, req.headers['butler-signature'] as string, body, Date.now() / 1000);
    if (ok) this.verified.push(String(req.headers['butler-webhook-event']));
    res.statusCode = ok ? 200 : 401;
    res.end();
  }
}

const NOW = new Date('2027-05-10T10:00:00+08:00');

// 导出 menus on the scorecard, cases and follow-ups pages, and the admin's Webhook page, in chromium.
describe('web console: exports and webhooks', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;
  let ours: Team;
  let clock: Clock;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    ({ t, browser, baseURL } = env = await startBrowserApp({ withWorkers: true }));
    ({ ours } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(NOW);
  });
  afterAll(async () => {
    clock?.reset();
    await env?.close();
    await receiver.stop();
  });

  it('an admin adds a webhook, keeps the secret shown once, and sees signed deliveries in the log', async () => {
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await page.clock.setFixedTime(NOW);
    await signIn(tab, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto('/admin/webhooks');
    await page.getByRole('heading', { name: 'Webhook' }).waitFor();
    await page.getByRole('button', { name: '新增推送地址' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('接收地址').fill('ftp://files.example.com/in');
    await dialog.getByRole('button', { name: /确\s?定|OK/ }).click();
    await dialog.getByText('请输入以 http:// 或 https:// 开头的网址（不能包含用户名或密码）').waitFor();
    await settledBox(dialog);
    await tab.screenshot('invalid-url');
    const endpointUrl = `${receiver.url}/butler`;
    await dialog.getByLabel('接收地址').fill(endpointUrl);
    await dialog.getByLabel('说明').fill('数据仓库');
    await dialog.getByRole('button', { name: /确\s?定|OK/ }).click();
    const secretDialog = page.getByRole('dialog', { name: '请保存签名密钥' });
    await secretDialog.waitFor();
    await settledBox(secretDialog);
    receiver.secret = (await secretDialog.getByTestId('webhook-secret').innerText()).trim();
    expect(receiver.secret).toMatch(/^whsec_/);
    await tab.screenshot('secret-once');
    await secretDialog.getByRole('button', { name: '我已保存' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    // Other files may have left endpoints of the same description: this one's row.
    await page.getByRole('row').filter({ hasText: '数据仓库' }).filter({ hasText: endpointUrl }).waitFor();
    // Gone from the page once closed: it is never shown again.
    expect(await page.content()).not.toContain(receiver.secret);

    // A case opened by a butler reaches the receiver, signed; the log says it was delivered.
    const client = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ name: '韩推送' }))).body;
    await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'complaint',
      channel: 'phone',
      summary: '酒瓶有裂纹',
    });
    await eventually(
      () => Promise.resolve(receiver.verified.length),
      (n) => n >= 1,
    );
    expect(receiver.verified[0]).toBe('case.changed');
    // Once marked sent (the mark follows the receiver's answer), the log's refresh shows it.
    const admin = await t.adminToken();
    // Other files' deliveries may share the log (one test database): this endpoint's row only.
    await eventually(
      () => t.as(admin).get('/api/v1/webhooks/deliveries'),
      (res) =>
        res.body.items.some((d: { status: string; url: string }) => d.status === 'sent' && d.url === endpointUrl),
    );
    await page.getByRole('button', { name: '刷新' }).click();
    const row = page.getByRole('row').filter({ hasText: '已送达' }).filter({ hasText: endpointUrl }).first();
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.slice(1, 5)).toEqual(['售后工单新建或变更', '已送达', '1', '200']);
    await tab.screenshot('delivery-log');
    // The refused ftp:// URL is the only failed request.
    expect(tab.errors.filter((e) => !/status of 400 .*\/api\/v1\/webhooks\)$/.test(e))).toEqual([]);
  });

  it('a manager exports the scorecard and the responses as Excel, and cases as CSV, on a phone too', async () => {
    const client = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ name: '邓导出' }))).body;
    await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'quality',
      channel: 'phone',
      summary: '=瓶盖松动',
    });
    const tab = await browser.open('desktop', { baseURL });
    const { page } = tab;
    await page.clock.setFixedTime(NOW);
    await signIn(tab, ours.manager.email);
    await page.goto('/manager/scorecard');
    const download = async (button: string, item: RegExp) => {
      await page.getByRole('button', { name: button }).click();
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByText(item).last().click()]);
      await page.getByText(`已导出 ${file.suggestedFilename()}`).waitFor();
      return file;
    };
    const card = await download('导出评分卡', /Excel 工作簿/);
    expect(card.suggestedFilename()).toBe('scorecard-20270510.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await card.path());
    const sheet = workbook.getWorksheet('管家评分卡')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('管家');
    const ids: string[] = [];
    sheet.eachRow((r, n) => n > 1 && ids.push(String(r.getCell(1).value)));
    expect(ids).toEqual(expect.arrayContaining([ours.butler.id, ours.colleague.id]));
    await tab.screenshot('scorecard-exported');
    const responses = await download('导出满意度回复', /Excel 工作簿/);
    expect(responses.suggestedFilename()).toBe('survey-responses-20270510.xlsx');

    await page.goto('/cases');
    const cases = await download('导出', /CSV/);
    const text = readFileSync(await cases.path(), 'utf8');
    expect(text.startsWith('\uFEFF工单编号,开单时间,客户')).toBe(true);
    expect(text).toContain(`'=瓶盖松动`);
    expect(text).toContain('邓导出');
    expect(tab.errors).toEqual([]);

    // On a phone the menu fits and works the same.
    const phone = await browser.open('phone', { baseURL });
    await phone.page.clock.setFixedTime(NOW);
    await signIn(phone, ours.manager.email);
    await phone.page.goto('/manager/follow-ups');
    await phone.page.getByRole('button', { name: '导出' }).click();
    await phone.page
      .getByText(/Excel 工作簿/)
      .last()
      .waitFor();
    await phone.screenshot('follow-ups-export-menu');
    expect(await phone.horizontalOverflow()).toBe(0);
    const [followUps] = await Promise.all([
      phone.page.waitForEvent('download'),
      phone.page
        .getByText(/Excel 工作簿/)
        .last()
        .click(),
    ]);
    expect(followUps.suggestedFilename()).toBe('follow-ups-20270510.xlsx');
    expect(phone.errors).toEqual([]);
  });
});
