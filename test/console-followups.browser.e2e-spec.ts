import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import { BrowserApp, expectFits, PHONE_WIDTH, signIn, startBrowserApp, TestBrowser, TestPage } from './support/browser';
import { uniqueMobile } from './support/factories';
import { answerableSurvey, postSurveyForm } from './support/surveys';
import { TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(240_000);

// A fixed moment, for the app's Clock and the browser's: 12 March 2031, 10:00 in Shanghai.
const NOW = new Date('2031-03-12T10:00:00+08:00');

// Follow-ups on a 390 px phone (issue 15): a butler plans a call-back after 无人接听; a manager sees
// the low-score recovery task on 今日 and schedules a call for a client of the churn list.
describe('follow-ups on a phone', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let env: BrowserApp | undefined;
  let clock: Clock;

  beforeAll(async () => {
    ({ t, browser, baseURL } = env = await startBrowserApp());
    clock = t.app.get(Clock);
    clock.travelTo(NOW);
  });
  afterAll(async () => {
    clock?.reset();
    await env?.close();
  });

  async function open(email: string): Promise<TestPage> {
    const tab = await browser.open('phone', { baseURL });
    // The quick picks and default times are computed in the browser: its clock agrees with the app's.
    await tab.page.clock.setFixedTime(NOW);
    await signIn(tab, email);
    await tab.page.getByRole('heading', { name: '今日' }).waitFor();
    return tab;
  }

  async function team() {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: '王经理' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '赵子龙' });
    const suffix = randomInt(1000, 9999);
    const mobile = uniqueMobile();
    const client = await t.as(butler.token).post('/api/v1/customers', {
      name: `蔡德明${suffix}`,
      mobile,
      email: `cai-${suffix}-${randomInt(0, 1e9)}@example.com`,
      tier: 'gold',
      consent: { greetings: true, surveys: true, source: 'store' },
    });
    expect(client.status).toBe(201);
    return { manager, butler, colleague, mobile, client: client.body as { id: string; name: string } };
  }

  it('a butler plans a call-back after 无人接听', async () => {
    const { manager, butler, mobile, client } = await team();
    const assigned = await t.as(manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      dueAt: '2031-03-12T18:00:00+08:00',
      title: '确认清明节前送礼需求',
    });
    expect(assigned.status).toBe(201);

    const tab = await open(butler.email);
    const { page } = tab;
    // 拨打 comes with the follow-up: no card reads its client to find the number.
    const clientReads: string[] = [];
    page.on('request', (r) => r.url().includes(`/api/v1/customers/${client.id}`) && clientReads.push(r.url()));
    await page.reload();
    const card = page.getByTestId('follow-up-card').filter({ hasText: client.name });
    const call = card.getByRole('link', { name: `拨打 ${mobile}` });
    await call.waitFor();
    expect(await call.getAttribute('href')).toBe(`tel:${mobile}`);
    expect(clientReads).toEqual([]);

    await card.getByRole('button', { name: `完成 ${client.name} 确认清明节前送礼需求` }).click();
    const modal = page.getByRole('dialog');
    await modal.getByText('无人接听').click();
    // 改约 is offered, 明天上午 picked, and the task is kept unless the butler ends it.
    await modal.getByText('改约', { exact: true }).waitFor();
    expect(await modal.getByRole('radio', { name: '明天上午' }).isChecked()).toBe(true);
    expect(await modal.getByRole('checkbox', { name: '不再跟进，结束此回访' }).isChecked()).toBe(false);
    await modal.getByText('明天下午').click();
    await modal.getByLabel('记录').fill('关机，明天下午再打');
    await expectFits(tab, 'callback-dialog', modal);
    await modal.getByRole('button', { name: '保存并改约' }).click();
    await page.getByText('已记录本次联系，回访改约至 2031-03-13 15:00').waitFor();
    // Due tomorrow now: off today's list, still open, the attempt on the contact log.
    await card.waitFor({ state: 'detached' });
    await modal.waitFor({ state: 'hidden' });
    await expectFits(tab, 'callback-done');
    const after = await t.as(butler.token).get(`/api/v1/follow-ups/${assigned.body.id}`);
    expect(after.body).toMatchObject({ status: 'open', dueAt: '2031-03-13T07:00:00.000Z' });
    const log = await t.db.query(`SELECT outcome, summary FROM interactions WHERE follow_up_id = $1`, [
      assigned.body.id,
    ]);
    expect(log).toEqual([{ outcome: 'no_answer', summary: '确认清明节前送礼需求：关机，明天下午再打' }]);
    expect(tab.errors).toEqual([]);
  });

  it('a manager sees the recovery task on 今日 and schedules a churn-list client', async () => {
    const { manager, butler, mobile, client } = await team();
    // A reached call, its survey link made sendable (the survey tests cover the mail), a low score.
    const planned = await t.as(butler.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      dueAt: '2031-03-12T09:00:00+08:00',
    });
    const done = await t
      .as(butler.token)
      .post(`/api/v1/follow-ups/${planned.body.id}/complete`, { outcome: 'reached', channel: 'phone' });
    expect(done.body.survey).toMatchObject({ invited: true });
    const token = await answerableSurvey(t, client.id, NOW, { expiresAt: new Date('2031-04-12T00:00:00Z') });
    const answered = await postSurveyForm(
      t,
      token,
      `csat=1&nps=2&comment=${encodeURIComponent('送货晚了三天，包装也破了')}`,
    );
    expect(answered.status).toBe(200);

    const tab = await open(manager.email);
    const { page } = tab;
    // At the top of 今日: the client, the score and the comment, 拨打 and 完成 on screen.
    const card = page.getByTestId('recovery-card').filter({ hasText: client.name });
    await card.getByText('满意度 1/5').waitFor();
    await card.getByText('推荐度 2/10').waitFor();
    await card.getByText('送货晚了三天，包装也破了').waitFor();
    const call = card.getByRole('link', { name: `拨打 ${mobile}` });
    expect(await call.getAttribute('href')).toBe(`tel:${mobile}`);
    const box = (await call.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
    const recoveryTop = (await card.boundingBox())!.y;
    const followUpsTop = (await page.getByText('今日回访').boundingBox())!.y;
    expect(recoveryTop).toBeLessThan(followUpsTop);
    await expectFits(tab, 'manager-today-recovery');

    // The churn list: the low score put the client on it; 安排回访 plans a call for their butler.
    await page.goto('/manager/churn');
    const row = page.getByRole('row').filter({ hasText: client.name });
    await row.getByText('¥0.00').waitFor();
    await expectFits(tab, 'churn-list');
    await row.getByRole('button', { name: `安排回访 ${client.name}` }).click();
    const modal = page.getByRole('dialog');
    await modal.getByText('回访将交给客户的专属管家 林静怡').waitFor();
    await expectFits(tab, 'churn-schedule', modal);
    await modal.getByRole('button', { name: '确认安排' }).click();
    await page.getByText('已安排 林静怡 于 2031-03-13 回访').waitFor();
    const planned2 = await t.as(manager.token).get(`/api/v1/follow-ups?customerId=${client.id}&kind=churn_risk`);
    expect(planned2.body.items).toHaveLength(1);
    expect(planned2.body.items[0]).toMatchObject({
      butlerId: butler.id,
      dueAt: '2031-03-13T02:00:00.000Z',
      status: 'open',
      assignedBy: manager.id,
    });

    // 改派 never offers the current butler.
    await row.getByRole('button', { name: `改派 ${client.name}` }).click();
    const move = page.getByRole('dialog').filter({ hasText: `改派客户：${client.name}` });
    await move.getByRole('combobox', { name: '改派给' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '赵子龙' }).first().waitFor();
    expect(await page.locator('.ant-select-item-option').filter({ hasText: '林静怡' }).count()).toBe(0);
    await expectFits(tab, 'churn-move', move);
    expect(tab.errors).toEqual([]);
  });
});
