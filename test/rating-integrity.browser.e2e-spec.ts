import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import { BrowserApp, pickOption, settledBox, signIn, startBrowserApp, TestBrowser, TestPage } from './support/browser';
import { customerBody, Team } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { mailedSurveyToken, postSurveyForm } from './support/surveys';
import { eventually, request, TestApp } from './support/test-app';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
// The day the answers come in (the app's clock) and the manager reads them (the browser's).
const CONTACT = new Date('2026-11-20T10:00:00+08:00');
const READ = new Date('2026-11-20T18:00:00+08:00');
const BUTLER_BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

// The manager's side of rating integrity and comment themes, on a phone: 评价明细 shows a
// self-rating flagged with its reasons and clears it after a check; the theme filter narrows the
// list; 评论主题 counts the period's comments with quotes, and a quote's themes are corrected.
describe('rating integrity and comment themes in the console', () => {
  let env: BrowserApp | undefined;
  let t: TestApp;
  let browser: TestBrowser;
  let baseURL: string;
  let sink: SmtpSink;
  let clock: Clock;
  let team: Team;
  const names = { fake: '', delivery: '', taste: '' };

  const answerFor = async (
    butler: string,
    butlerId: string,
    customerId: string,
    email: string,
    form: string,
    userAgent: string,
    dueIn = HOUR,
  ): Promise<void> => {
    const created = await t.as(butler).post('/api/v1/follow-ups', {
      customerId,
      butlerId,
      dueAt: new Date(clock.now().getTime() + dueIn).toISOString(),
      kind: 'manual',
    });
    const done = await t
      .as(butler)
      .post(`/api/v1/follow-ups/${created.body.id}/complete`, { outcome: 'reached', channel: 'phone', note: '' });
    expect(done.body.survey.invited).toBe(true);
    const token = await mailedSurveyToken(t, sink, email);
    const res = await postSurveyForm(t, token, form, {
      ua: userAgent,
      ip: `223.104.${randomInt(1, 250)}.${randomInt(1, 250)}`,
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    ({ t, browser, baseURL } = env = await startBrowserApp({ withWorkers: true, env: { SMTP_URL: sink.url } }));
    clock = t.app.get(Clock);
    clock.travelTo(CONTACT);
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager', name: `核实经理${randomInt(100, 999)}` });
    const butler = await t.createUser(admin, {
      role: 'butler',
      managerId: manager.id,
      name: `周管家${randomInt(100, 999)}`,
    });
    team = { manager, butler, colleague: butler };
    const suffix = randomInt(1000, 9999);
    names.fake = `冒名客户${suffix}`;
    names.delivery = `物流客户${suffix}`;
    names.taste = `口感客户${suffix}`;
    const client = async (name: string) =>
      (
        await t
          .as(manager.token)
          .post(
            '/api/v1/customers',
            customerBody({ name, butlerId: butler.id, email: `ri-${randomInt(0, 1e9)}@example.com` }),
          )
      ).body as { id: string; email: string };

    // The attack: his own browser, his own inbox, a follow-up due in a week completed at once.
    const session = await request(t.app, 'POST', '/api/v1/auth/login', {
      body: { email: butler.email, password: 'password-123' },
      headers: { 'user-agent': BUTLER_BROWSER },
      remoteAddress: '117.136.12.5',
    });
    const fake = await client(names.fake);
    const inbox = `own-${randomInt(0, 1e9)}@example.com`;
    await t.as(session.body.accessToken).patch(`/api/v1/customers/${fake.id}`, { email: inbox });
    await answerFor(
      butler.token,
      butler.id,
      fake.id,
      inbox,
      'csat=5&nps=10&comment=管家服务非常专业',
      BUTLER_BROWSER,
      7 * 24 * HOUR,
    );
    // Two clients' own answers.
    const delivery = await client(names.delivery);
    await answerFor(
      butler.token,
      butler.id,
      delivery.id,
      delivery.email,
      'csat=2&nps=3&comment=物流太慢了，等了一周才到',
      'curl/8',
    );
    const taste = await client(names.taste);
    await answerFor(
      butler.token,
      butler.id,
      taste.id,
      taste.email,
      'csat=5&nps=9&comment=酒的口感很好，回甘明显',
      'curl/8',
    );
  });
  afterAll(async () => {
    await Promise.allSettled([env?.close(), sink?.stop()]);
  });

  const openAsManager = async (): Promise<TestPage> => {
    const tab = await browser.open('phone', { baseURL });
    await tab.page.clock.setFixedTime(READ);
    await signIn(tab, team.manager.email);
    return tab;
  };

  it('shows a flagged answer with its reasons on a phone, clears it after a check, and filters by theme', async () => {
    const tab = await openAsManager();
    const { page } = tab;
    await page.goto('/manager/surveys');
    const cards = page.getByTestId('survey-response');
    const fake = cards.filter({ hasText: names.fake });
    await fake.getByText('可疑 · 不计入满意度').waitFor();
    await fake.getByText('由被评管家本人修改').waitFor();
    await fake.getByText(/提前 1\d\d 小时/).waitFor();
    // Another network, the butler's browser.
    await fake.getByText('答卷所用的浏览器与被评管家近期登录时相同').waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('flagged');

    // Only the flagged ones.
    await page.locator('.ant-segmented-item').getByText('可疑', { exact: true }).click();
    await page.waitForURL(/flagged=true/);
    await eventually(
      () => cards.count(),
      (n) => n === 1,
    );

    // The manager called the client: clear it with a note.
    await fake.getByRole('button', { name: `解除标记 ${names.fake}` }).click();
    const dialog = page.getByRole('dialog', { name: '解除可疑标记' });
    await settledBox(dialog);
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await dialog.getByRole('button', { name: '确认解除' }).click();
    await dialog.getByText('请写明如何核实的（至少 2 个字）').waitFor();
    await dialog.getByLabel('核实说明').fill('已致电客户本人，确认为其本人填写');
    await tab.screenshot('clear-dialog');
    await dialog.getByRole('button', { name: '确认解除' }).click();
    await page.getByText('已解除标记，这条评价重新计入满意度').waitFor();
    await page.locator('.ant-segmented-item').getByText('全部', { exact: true }).click();
    await fake.getByText('已核实').waitFor();
    await fake.getByText(/于 .* 解除标记：已致电客户本人/).waitFor();

    // The theme filter: the delivery complaint only.
    await pickOption(page, page.getByLabel('评论主题', { exact: true }), '物流/送货');
    await page.waitForURL(/theme=delivery/);
    await cards.filter({ hasText: names.delivery }).getByText('物流/送货 · 差评').waitFor();
    await eventually(
      () => cards.count(),
      (n) => n === 1,
    );
    await tab.screenshot('theme-filter');
    expect(tab.errors).toEqual([]);
    await tab.close();

    const report = await t.as(team.manager.token).get('/api/v1/reports/butlers?from=2026-11-20&to=2026-11-20');
    const row = report.body.items.find((i: { butlerId: string }) => i.butlerId === team.butler.id);
    expect(row).toMatchObject({ responses: 3, flaggedResponses: 0 });
  });

  it('counts the comments by theme with quotes, and corrects a quote', async () => {
    const tab = await openAsManager();
    const { page } = tab;
    await page.goto('/manager/comment-themes');
    await page.locator('.ant-segmented-item').getByText('按管家', { exact: true }).click();
    const cards = page.getByTestId('theme-card');
    const delivery = cards.filter({ hasText: '物流/送货' }).filter({ hasText: '物流太慢了' });
    await delivery.getByText('差评 1 · 好评 0 · 中性 0').waitFor();
    const taste = cards.filter({ hasText: '口感/酒质' }).filter({ hasText: '回甘明显' });
    await taste.waitFor();
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('themes');

    // 修正: the taste comment is about price, not taste.
    await taste.getByRole('button', { name: /修正主题：/ }).click();
    const dialog = page.getByRole('dialog', { name: '修正评论主题' });
    await settledBox(dialog);
    // Opened with the quote's own theme and stance.
    expect(await dialog.getByRole('checkbox', { name: '口感/酒质' }).isChecked()).toBe(true);
    await dialog.getByRole('checkbox', { name: '口感/酒质' }).uncheck();
    await dialog.getByRole('checkbox', { name: '价格/性价比' }).check();
    await dialog.locator('.ant-segmented-item').getByText('好评', { exact: true }).click();
    await tab.screenshot('correct-dialog');
    await dialog.getByRole('button', { name: '保存修正' }).click();
    await page.getByText('已保存修正').waitFor();
    const price = page.getByTestId('theme-card').filter({ hasText: '价格/性价比' }).filter({ hasText: '回甘明显' });
    await price.getByText('已修正').waitFor();
    expect(tab.errors).toEqual([]);
    await tab.close();

    const [stored] = await t.db.query(
      `SELECT array_agg(theme || ':' || polarity ORDER BY theme) AS themes, bool_and(corrected_by IS NOT NULL) AS kept
         FROM comment_themes t JOIN survey_responses r ON r.id = t.source_id
         JOIN customers c ON c.id = r.customer_id WHERE c.name = $1`,
      [names.taste],
    );
    expect(stored).toEqual({ themes: ['price:positive'], kept: true });
  });
});
