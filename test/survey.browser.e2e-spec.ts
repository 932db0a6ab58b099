import { Clock } from '@app/common';
import { SurveyDispatcher } from '@app/surveys';

import { BrowserApp, startBrowserApp, TestBrowser } from './support/browser';
import { customerBody } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { eventually, TestApp } from './support/test-app';

// A real browser on a shared two-core machine: steps take seconds, a whole walk-through minutes.
jest.setTimeout(180_000);

// The survey as a client meets it: the link from the invitation email, opened on a phone, filled
// in by touch and keyboard, submitted as a plain form.
describe('survey page in a real browser', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: TestBrowser;
  let baseURL: string;

  let env: BrowserApp | undefined;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    ({ t, browser, baseURL } = env = await startBrowserApp({ withWorkers: true, env: { SMTP_URL: sink.url } }));
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await Promise.allSettled([env?.close(), sink?.stop()]);
  });

  it('a client fills in and submits the survey on a 390 px phone', async () => {
    const admin = await t.adminToken();
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '林静怡' });
    const created = await t
      .as(butler.token)
      .post('/api/v1/customers', customerBody({ name: '李秀英', email: 'li.xiuying@example.com' }));
    const customerId = created.body.id as string;
    const followUp = await t
      .as(manager.token)
      .post('/api/v1/follow-ups', { customerId, butlerId: butler.id, dueAt: new Date().toISOString(), kind: 'manual' });
    const done = await t
      .as(butler.token)
      .post(`/api/v1/follow-ups/${followUp.body.id}/complete`, { outcome: 'reached', channel: 'phone' });
    expect(done.body.survey.invited).toBe(true);

    const clock = t.app.get(Clock);
    clock.travelTo(new Date(Date.now() + 3 * 3_600_000));
    await t.app.get(SurveyDispatcher).dispatchDue();
    const [mail] = await eventually(
      async () => sink.to('li.xiuying@example.com'),
      (m) => m.length > 0,
      20_000,
    );
    const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
    // The token's hash is stored as the send transaction commits, just after the SMTP server took it.
    await eventually(
      async () =>
        (await t.db.query(`SELECT status FROM survey_invitations WHERE customer_id = $1`, [customerId]))[0]?.status,
      (s) => s === 'sent',
    );

    const tab = await browser.open('phone', { baseURL });
    const { page } = tab;
    expect((await page.goto(`/s/${token}`))?.status()).toBe(200);
    expect(await page.title()).toBe('服务满意度调查');
    expect(await page.getByText('李秀英，您好').isVisible()).toBe(true);
    expect(await page.getByText('管家 林静怡').isVisible()).toBe(true);
    expect(await tab.horizontalOverflow()).toBe(0);
    await tab.screenshot('form');

    // Submitting without the one required answer brings the form back with the problem named.
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('请为“总体满意度”打分');
    await tab.screenshot('missing-csat');

    // Each question is a named group of radio buttons: tap some, use the keyboard for others.
    const group = (name: RegExp) => page.getByRole('group', { name });
    await group(/总体而言/)
      .getByRole('radio', { name: '4', exact: true })
      .check();
    await group(/推荐/).getByRole('radio', { name: '8', exact: true }).focus();
    await page.keyboard.press('ArrowRight'); // 8 → 9
    expect(await group(/推荐/).getByRole('radio', { name: '9', exact: true }).isChecked()).toBe(true);
    for (const [dimension, score] of [
      ['可靠性', '5'],
      ['响应性', '4'],
      ['保证性', '5'],
      ['同理性', '5'],
      ['有形性', '3'],
    ] as const) {
      await group(new RegExp(dimension)).getByRole('radio', { name: score, exact: true }).check();
    }
    await page.getByLabel('还有什么想告诉我们的？（选填）').fill('酒很好，管家很用心 🍶');
    await tab.screenshot('filled');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('heading', { name: '感谢您的评价' }).waitFor();
    await tab.screenshot('thanks');

    const [row] = await t.db.query(
      `SELECT csat, nps, reliability, responsiveness, assurance, empathy, tangibles, comment, butler_id
        FROM survey_responses WHERE customer_id = $1`,
      [customerId],
    );
    expect(row).toEqual({
      csat: 4,
      nps: 9,
      reliability: 5,
      responsiveness: 4,
      assurance: 5,
      empathy: 5,
      tangibles: 3,
      comment: '酒很好，管家很用心 🍶',
      butler_id: butler.id,
    });

    // Back to the link: answered already.
    expect((await page.goto(`/s/${token}`))?.status()).toBe(409);
    expect(await page.getByRole('heading', { name: '您已提交过评价' }).isVisible()).toBe(true);
    // Chromium logs each 4xx document as a console error: exactly the two this test asked for.
    const unexpected = tab.errors.filter((e) => !/status of (400|409) .*\/s\//.test(e));
    expect(unexpected).toEqual([]);
    expect(tab.errors).toHaveLength(2);
  });
});
