import { Clock } from '@app/common';

import { customerBody, Team, twoTeams, uniqueMobile } from './support/factories';
import { FakeAliyunSms } from './support/fake-aliyun-sms';
import { bootWithFakeSms, surveyFlow } from './support/fake-sms-app';
import { SmtpSink } from './support/smtp-sink';
import { eventually, TestApp } from './support/test-app';

// Approved at the (fake) provider, and entered by the admin in settings: a notification, so no 回T退订.
const SURVEY = { code: 'SMS_930002', text: '${name}您好，请花1分钟评价${butler}的服务：${link}' };
const ALERT = { code: 'SMS_930003', text: '${butler}的客户${client}评价偏低（${score}），请尽快回访。' };

// Detractor alerts by SMS (issue 16): a manager with a mobile who chose SMS is alerted by SMS,
// at any hour, within the per-number daily cap; email stays the default.
describe('detractor alerts to managers by SMS', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  const fake = new FakeAliyunSms('LTAI5tAlertsKey', 'alerts-key-secret', '白酒管家');
  const managerMobile = uniqueMobile();

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    fake.templates.set(SURVEY.code, SURVEY.text);
    fake.templates.set(ALERT.code, ALERT.text);
    await fake.start();
    t = await bootWithFakeSms(fake, { SMTP_URL: sink.url });
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
    await sink.stop();
    await fake.stop();
  });

  it('an admin sets a staff mobile and alert channels; a bad or taken mobile is a 400 naming the field', async () => {
    const user = (id: string) => t.as(admin).get(`/api/v1/users/${id}`);
    expect((await user(ours.manager.id)).body).toMatchObject({ mobile: null, alertChannels: ['email'] });

    const invalid = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { mobile: '12812345678' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields).toEqual([expect.objectContaining({ field: 'mobile', code: 'isMobile' })]);
    const noMobile = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { alertChannels: ['sms'] });
    expect(noMobile.status).toBe(400);
    expect(noMobile.body.fields).toEqual([
      expect.objectContaining({ field: 'alertChannels', code: 'alertSmsNeedsMobile' }),
    ]);
    const unknown = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { alertChannels: ['fax'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields[0]).toMatchObject({ field: 'alertChannels', code: 'isIn' });
    const none = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { alertChannels: [] });
    expect(none.body.fields[0]).toMatchObject({ field: 'alertChannels', code: 'arrayMinSize' });
    expect((await user(ours.manager.id)).body).toMatchObject({ mobile: null, alertChannels: ['email'] });

    // Typed the way people type it; stored as 11 digits.
    const typed = `+86 ${managerMobile.slice(0, 3)}-${managerMobile.slice(3, 7)}-${managerMobile.slice(7)}`;
    const ok = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { mobile: typed, alertChannels: ['sms'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ mobile: managerMobile, alertChannels: ['sms'] });

    const taken = await t.as(admin).patch(`/api/v1/users/${theirs.manager.id}`, { mobile: managerMobile });
    expect(taken.status).toBe(400);
    expect(taken.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(taken.body.fields).toEqual([expect.objectContaining({ field: 'mobile', code: 'mobileTaken' })]);
    expect((await user(theirs.manager.id)).body.mobile).toBeNull();
    const created = await t.as(admin).post('/api/v1/users', {
      email: `taken-${Date.now()}@test.local`,
      name: '重复手机号',
      role: 'manager',
      password: 'password-123',
      mobile: managerMobile,
    });
    expect(created.status).toBe(400);
    expect(created.body.fields).toEqual([expect.objectContaining({ field: 'mobile', code: 'mobileTaken' })]);
    // Clearing the mobile while SMS is chosen is refused too.
    const cleared = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { mobile: null });
    expect(cleared.body.fields).toEqual([
      expect.objectContaining({ field: 'alertChannels', code: 'alertSmsNeedsMobile' }),
    ]);
  });

  it("sends a detractor's alert by SMS at night, within the per-number daily cap, and by email as chosen", async () => {
    const settings = await t.as(admin).patch('/api/v1/settings', {
      sms: { templates: { greetings: [], surveyInvitation: SURVEY, recoveryAlert: ALERT }, maxPerNumberPerDay: 1 },
    });
    expect(settings.status).toBe(200);
    const flow = surveyFlow(t, ours);
    const client = async () =>
      (
        await t
          .as(ours.butler.token)
          .post('/api/v1/customers', customerBody({ email: null, consent: { channels: { surveys: { sms: true } } } }))
      ).body as { id: string; name: string; mobile: string };
    const alerts = async (clientId: string) =>
      (await t.db.query(
        `SELECT m.channel, m.to_address, m.status, m.skip_reason FROM messages m
           JOIN survey_responses r ON m.key IN ('recovery-alert:' || r.id, 'recovery-alert-sms:' || r.id)
          WHERE r.customer_id = $1 ORDER BY m.channel`,
        [clientId],
      )) as { channel: string; to_address: string; status: string; skip_reason: string | null }[];

    // Invited at 19:00, answered after 21:00 Shanghai: an alert is no marketing, it is not held.
    clock.travelTo(new Date('2027-05-11T19:00:00+08:00'));
    const first = await client();
    await flow.send(await flow.invite(first.id));
    const [invitation] = fake.to(first.mobile);
    await flow.answer(flow.tokenIn(invitation.templateParam.link), 'csat=1&nps=3&comment=酒有问题');

    const [alert] = await eventually(
      async () => fake.to(managerMobile),
      (sent) => sent.length === 1,
    );
    expect(alert.templateCode).toBe(ALERT.code);
    expect(alert.templateParam).toEqual({
      client: first.name,
      butler: expect.any(String),
      score: '满意度1/5，推荐3/10',
    });
    expect(alert.content).toBe(
      `【白酒管家】${alert.templateParam.butler}的客户${first.name}评价偏低（满意度1/5，推荐3/10），请尽快回访。`,
    );
    await eventually(
      () => alerts(first.id),
      (rows) => rows.length === 1 && rows[0].status === 'sent',
    );
    expect(await alerts(first.id)).toEqual([
      { channel: 'sms', to_address: managerMobile, status: 'sent', skip_reason: null },
    ]);
    // The manager chose SMS only: no email alert.
    expect(sink.to(ours.manager.email)).toHaveLength(0);
    // The recovery task is there whatever the channel.
    const [task] = await t.db.query(`SELECT butler_id FROM follow_ups WHERE customer_id = $1 AND kind = 'recovery'`, [
      first.id,
    ]);
    expect(task.butler_id).toBe(ours.manager.id);

    // Both channels now; the cap (1 SMS a day to this number) was reached by the first alert.
    expect(
      (await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { alertChannels: ['email', 'sms'] })).status,
    ).toBe(200);
    const second = await client();
    await flow.send(await flow.invite(second.id));
    await flow.answer(flow.tokenIn(fake.to(second.mobile)[0].templateParam.link), 'csat=2');
    await eventually(
      () => alerts(second.id),
      (rows) => rows.length === 2 && rows.every((r) => r.status !== 'pending' && r.status !== 'sending'),
    );
    expect(await alerts(second.id)).toEqual([
      { channel: 'email', to_address: ours.manager.email, status: 'sent', skip_reason: null },
      { channel: 'sms', to_address: managerMobile, status: 'skipped', skip_reason: 'sms_daily_cap' },
    ]);
    expect(fake.to(managerMobile)).toHaveLength(1);
    await eventually(
      async () => sink.to(ours.manager.email),
      (mails) => mails.length === 1,
    );
    expect(sink.to(ours.manager.email)[0].parsed.subject).toContain(second.name);

    // The next day by the app's Clock (the clock sent_at is stamped with): the cap starts again.
    clock.travelTo(new Date('2027-05-12T10:00:00+08:00'));
    const third = await client();
    await flow.send(await flow.invite(third.id));
    await flow.answer(flow.tokenIn(fake.to(third.mobile)[0].templateParam.link), 'csat=1');
    await eventually(
      async () => fake.to(managerMobile),
      (sent) => sent.length === 2,
    );
    // Marked after the provider's answer: wait for the mark, then read its stamp.
    const [stamped] = await eventually(
      async () =>
        (await t.db.query(
          `SELECT m.sent_at FROM messages m JOIN survey_responses r ON m.key = 'recovery-alert-sms:' || r.id
            WHERE r.customer_id = $1 AND m.status = 'sent'`,
          [third.id],
        )) as { sent_at: Date }[],
      (rows) => rows.length === 1,
    );
    expect(stamped.sent_at.getTime()).toBeGreaterThanOrEqual(new Date('2027-05-12T12:00:00+08:00').getTime());
  });
});
