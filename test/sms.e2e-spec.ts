import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { CampaignRunner } from '@app/greetings';
import { MailSenderService, OutboxService } from '@app/mail';
import { SurveyDispatcher } from '@app/surveys';

import { customerBody, Member, Team, twoTeams } from './support/factories';
import { FakeAliyunSms } from './support/fake-aliyun-sms';
import { bootWithFakeSms } from './support/fake-sms-app';
import { eventually, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const SECRET = 'sms-callback-secret-for-tests';
const RECEIPTS = '/api/v1/sms/aliyun/receipts';
const UPLINKS = '/api/v1/sms/aliyun/uplinks';

// Approved at the (fake) provider, and entered by the admin in settings.
const GREETING = { code: 'SMS_900001', text: '${name}您好，${festival}将至，${butler}祝您节日安康、阖家幸福。回T退订' };
const CUSTOM = { code: 'SMS_900003', text: '${name}您好，${butler}向您问候，祝您一切顺利。回T退订' };
const SURVEY = {
  code: 'SMS_900002',
  text: '${name}您好，感谢您对${butler}的支持，请花1分钟评价：${link} ，${days}天内有效。',
};

describe('SMS: Aliyun provider, send-time rules, callbacks and survey short links', () => {
  let t: TestApp;
  let fake: FakeAliyunSms;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  let templateId: string;
  let campaignId: string;

  const newClient = async (butler: Member, overrides: Record<string, unknown> = {}) => {
    // A client who said yes to greetings and surveys by SMS (the answers the send-time check reads).
    const consent = { channels: { greetings: { sms: true }, surveys: { sms: true } } };
    const res = await t
      .as(butler.token)
      .post('/api/v1/customers', customerBody({ email: null, consent, ...overrides }));
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; mobile: string; email: string | null };
  };

  // A greeting recorded for the SMS channel, as planning does for a client whose channel is SMS.
  const greetingBySms = async (client: { id: string; name: string }, to: string, campaign = campaignId) =>
    t.app.get(OutboxService).record({
      key: `greeting:${campaign}:${client.id}`,
      purpose: 'greeting',
      channel: 'sms',
      toAddress: to,
      customerId: client.id,
      campaignId: campaign,
      context: { name: client.name, gender: 'male', butlerName: '李娜', favoriteAroma: null },
    });

  const send = (id: string) => t.app.get(MailSenderService).sendPending(id);
  const row = async (id: string) =>
    (
      await t.db.query(
        `SELECT status, skip_reason, channel, to_address, provider_message_id, scheduled_at, attempts, last_error,
                delivery_status, delivered_at, delivery_error
           FROM messages WHERE id = $1`,
        [id],
      )
    )[0] as Record<string, any>;

  beforeAll(async () => {
    fake = new FakeAliyunSms('LTAI5tFakeKeyId', 'fake-access-key-secret', '白酒管家');
    for (const template of [GREETING, CUSTOM, SURVEY]) fake.templates.set(template.code, template.text);
    await fake.start();
    t = await bootWithFakeSms(fake, {
      SMTP_URL: undefined,
      SMS_CALLBACK_SECRET: SECRET,
      SMS_TIMEOUT_MS: '2000',
      // The SMS circuit, once open, lets a probe through this often.
      OUTBOX_PROBE_MS: '100',
    });
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
    const templates = await t.as(admin).get('/api/v1/templates');
    templateId = templates.body.items.find(
      (x: { occasion: string; isDefault: boolean }) => x.isDefault && x.occasion === 'mid_autumn',
    ).id;
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('settings take approved templates only when fillable and, for greetings, ending with 回T退订', async () => {
    // Other files share the settings (one test database) and may have left a greeting template:
    // start from none.
    const current = (await t.as(admin).get('/api/v1/settings')).body.sms as { templates: object };
    const cleared = await t
      .as(admin)
      .patch('/api/v1/settings', { sms: { templates: { ...current.templates, greetings: [] } } });
    expect(cleared.status).toBe(200);
    // With SMS on and no template for the occasion, a campaign cannot be confirmed.
    clock.travelTo(new Date('2027-09-10T10:00:00+08:00'));
    const refused = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
      name: '2027 中秋问候',
      occasion: 'mid_autumn',
      templateId,
      sendAt: '2027-09-15T09:00:00+08:00',
      audience: { scope: 'team' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'occasion', code: 'smsTemplateMissing' })]);

    const before = (await t.as(admin).get('/api/v1/settings')).body.sms;
    const bad = await t.as(admin).patch('/api/v1/settings', {
      sms: {
        templates: {
          greetings: [{ occasion: 'mid_autumn', code: 'SMS_1', text: '${name}中秋快乐' }],
          surveyInvitation: { code: 'SMS_2', text: '请评价 ${url}' },
          recoveryAlert: null,
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'sms.templates.greetings.0.text', code: 'smsOptOutMissing' }),
        expect.objectContaining({
          field: 'sms.templates.surveyInvitation.text',
          code: 'smsUnknownVariable',
          params: expect.objectContaining({ variable: 'url' }),
        }),
      ]),
    );
    expect((await t.as(admin).get('/api/v1/settings')).body.sms).toEqual(before);

    const ok = await t.as(admin).patch('/api/v1/settings', {
      sms: {
        templates: {
          greetings: [
            { occasion: 'mid_autumn', ...GREETING },
            { occasion: 'custom', ...CUSTOM },
          ],
          surveyInvitation: SURVEY,
          recoveryAlert: null,
        },
        maxPerNumberPerDay: 3,
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.sms.templates.greetings).toHaveLength(2);

    const draft = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
      name: '2027 中秋问候',
      occasion: 'mid_autumn',
      templateId,
      sendAt: '2027-09-15T09:00:00+08:00',
      audience: { scope: 'team' },
      draft: true,
    });
    expect(draft.status).toBe(201);
    campaignId = draft.body.id;
  });

  it('a client with a mobile and no email: a greeting held at 21:00 goes at 08:00, signed, 回T退订', async () => {
    const client = await newClient(ours.butler, { name: '王建国', gender: 'male' });
    expect(client.email).toBeNull();
    const message = await greetingBySms(client, client.mobile);

    // 21:00 in Shanghai the evening before: marketing is held until 08:00, nothing is spent.
    clock.travelTo(new Date('2027-09-14T21:00:00+08:00'));
    expect(await send(message.id)).toMatchObject({ outcome: 'held' });
    let stored = await row(message.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(stored.scheduled_at).toISOString()).toBe(new Date('2027-09-15T08:00:00+08:00').toISOString());
    expect(fake.to(client.mobile)).toHaveLength(0);

    clock.travelTo(new Date('2027-09-15T08:00:00+08:00'));
    expect(await send(message.id)).toMatchObject({ outcome: 'sent' });
    const [sms] = fake.to(client.mobile);
    // The fake took it only with a valid signature of the configured key.
    expect(fake.rejected).toHaveLength(0);
    expect(sms.templateCode).toBe(GREETING.code);
    expect(sms.templateParam).toEqual({ name: '王先生', butler: '李娜', festival: '中秋节' });
    expect(sms.outId).toBe(message.id);
    expect(sms.params.SignName).toBe('白酒管家');
    expect(sms.content).toBe('【白酒管家】王先生您好，中秋节将至，李娜祝您节日安康、阖家幸福。回T退订');
    expect(sms.content.endsWith('回T退订')).toBe(true);
    stored = await row(message.id);
    expect(stored).toMatchObject({ status: 'sent', channel: 'sms', provider_message_id: sms.bizId });

    // Sending again sends nothing.
    expect(await send(message.id)).toMatchObject({ outcome: 'not_pending' });
    expect(fake.to(client.mobile)).toHaveLength(1);

    // The delivery receipt: a forged one is refused and changes nothing; Aliyun's marks it delivered.
    const forged = await fake.push(t.app, RECEIPTS, fake.receiptBody(sms, false), 'wrong-secret-wrong-secret');
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('SMS_CALLBACK_UNAUTHORIZED');
    expect((await fake.push(t.app, RECEIPTS, fake.receiptBody(sms, false))).status).toBe(401);
    expect((await row(message.id)).delivery_status).toBeNull();

    const receipt = await fake.push(t.app, RECEIPTS, fake.receiptBody(sms, true, '2027-09-15 08:00:05'), SECRET);
    expect(receipt).toEqual({ status: 200, body: { code: 0, msg: '接收成功' } });
    stored = await row(message.id);
    expect(stored.delivery_status).toBe('delivered');
    expect(new Date(stored.delivered_at).toISOString()).toBe(new Date('2027-09-15T08:00:05+08:00').toISOString());
    // The delivery log shows it.
    const log = await t.as(ours.butler.token).get(`/api/v1/messages?customerId=${client.id}`);
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ status: 'sent', purpose: 'greeting' });
  });

  it('an uplink "T" withdraws the client\'s greetings consent, audited; a forged uplink changes nothing', async () => {
    const client = await newClient(ours.butler);
    const consent = async () =>
      (await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).body.consent as { greetings: boolean };
    expect((await consent()).greetings).toBe(true);

    const forged = await fake.push(t.app, UPLINKS, fake.uplinkBody(client.mobile, 'T'), 'not-the-secret-at-all');
    expect(forged.status).toBe(401);
    expect((await consent()).greetings).toBe(true);

    // Any other reply is not an opt-out.
    expect((await fake.push(t.app, UPLINKS, fake.uplinkBody(client.mobile, '谢谢'), SECRET)).status).toBe(200);
    expect((await consent()).greetings).toBe(true);

    const res = await fake.push(t.app, UPLINKS, fake.uplinkBody(client.mobile, 'T'), SECRET);
    expect(res).toEqual({ status: 200, body: { code: 0, msg: '接收成功' } });
    expect((await consent()).greetings).toBe(false);
    const audit = await t.db.query(
      `SELECT changes FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1 AND action = 'update'`,
      [client.id],
    );
    expect(audit).toEqual([
      {
        changes: expect.objectContaining({
          'consent.channels.greetings.sms': { from: true, to: false },
          source: 'sms_uplink',
        }),
      },
    ]);

    // A greeting to them now is skipped, and the provider never hears of it.
    clock.travelTo(new Date('2027-09-15T10:00:00+08:00'));
    const message = await greetingBySms(client, client.mobile);
    expect(await send(message.id)).toMatchObject({ outcome: 'skipped', reason: 'unsubscribed' });
    expect(fake.to(client.mobile)).toHaveLength(0);
  });

  it("callbacks with the token but a body that is not Aliyun's: a 400 or ignored items, never a 5xx", async () => {
    const client = await newClient(ours.butler);
    const bodies: unknown[] = [
      {},
      'T',
      null,
      [null],
      [1, 2],
      [{ phone_number: { $ne: '' }, content: 'T' }],
      [{ out_id: "' OR 1=1 --", report_time: '2027-13-45 99:99:99', success: 'yes' }],
      [{ phone_number: client.mobile, content: ['T'] }],
      Array.from({ length: 1001 }, () => ({})),
    ];
    for (const path of [RECEIPTS, UPLINKS])
      for (const body of bodies) {
        const res = await fake.push(t.app, path, body, SECRET);
        expect([200, 400]).toContain(res.status);
      }
    // Nothing happened to the client whose mobile was in one of them.
    const consent = (await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).body.consent;
    expect(consent.greetings).toBe(true);
  });

  it('a number that is not a mainland mobile is never sent: skipped invalid_address', async () => {
    clock.travelTo(new Date('2027-09-15T10:00:00+08:00'));
    // The API keeps such numbers out (11 digits, 1[3-9]…); a row written around it may hold one.
    const storedAs = async (client: { id: string }, mobile: string) =>
      t.db.query(`UPDATE customers SET mobile = $2 WHERE id = $1`, [client.id, mobile]);
    for (const address of ['12812345678', '11012345678', '10086000000']) {
      const client = await newClient(ours.butler);
      await storedAs(client, address);
      const message = await greetingBySms(client, address);
      // The channel rule already finds no SMS address in such a number (address_changed); the
      // provider's own check (invalid_address) stands behind it for any row that gets past.
      const outcome = await send(message.id);
      expect(outcome.outcome).toBe('skipped');
      expect(['address_changed', 'invalid_address']).toContain(outcome.reason);
    }
    expect(fake.received.filter((r) => !/^1[3-9]\d{9}$/.test(r.phone))).toHaveLength(0);
  });

  it("maps Aliyun's answers: throttling is retried, an outage pauses the channel, a bad number fails", async () => {
    clock.travelTo(new Date('2027-09-15T10:00:00+08:00'));
    const throttledClient = await newClient(ours.butler);
    const throttled = await greetingBySms(throttledClient, throttledClient.mobile);
    fake.failNext('throttle');
    expect(await send(throttled.id)).toMatchObject({ outcome: 'retry' });
    expect((await row(throttled.id)).last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');

    // HTTP 500 and a refused connection are outages: the message waits, pending, no attempt spent,
    // and the SMS circuit lets a probe through every OUTBOX_PROBE_MS until Aliyun answers again.
    fake.failNext('http500');
    expect(await send(throttled.id)).toMatchObject({ outcome: 'paused', reason: 'aliyun HTTP 500' });
    await fake.stop();
    try {
      const refused = await eventually(
        () => send(throttled.id),
        (r) => r.outcome === 'paused' && (r.reason ?? '').includes('aliyun unreachable'),
      );
      expect(refused.outcome).toBe('paused');
    } finally {
      await fake.start();
    }
    await eventually(
      () => send(throttled.id),
      (r) => r.outcome === 'sent',
    );
    expect(await row(throttled.id)).toMatchObject({ status: 'sent', attempts: 2 });

    const badClient = await newClient(ours.butler);
    const badNumber = await greetingBySms(badClient, badClient.mobile);
    fake.failNext('bad_number');
    expect(await send(badNumber.id)).toMatchObject({ outcome: 'failed' });
    expect((await row(badNumber.id)).last_error).toContain('isv.MOBILE_NUMBER_ILLEGAL');
  });

  it('at most sms.maxPerNumberPerDay SMS reach one number a day; more are skipped sms_daily_cap', async () => {
    expect((await t.as(admin).patch('/api/v1/settings', { sms: { maxPerNumberPerDay: 2 } })).status).toBe(200);
    try {
      clock.travelTo(new Date('2027-09-15T10:00:00+08:00'));
      // One client, three campaigns' greetings on one day.
      const client = await newClient(ours.butler);
      const number = client.mobile;
      const campaigns = [campaignId];
      for (const name of ['重阳问候', '秋季品鉴邀请']) {
        const draft = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: `${name} ${randomInt(0, 1e9)}`,
          occasion: 'mid_autumn',
          templateId,
          sendAt: '2027-09-15T18:00:00+08:00',
          audience: { scope: 'team' },
          draft: true,
        });
        expect(draft.status).toBe(201);
        campaigns.push(draft.body.id as string);
      }
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const message = await greetingBySms(client, number, campaigns[i]);
        outcomes.push((await send(message.id)).outcome);
        if (i === 2) expect(await row(message.id)).toMatchObject({ status: 'skipped', skip_reason: 'sms_daily_cap' });
      }
      expect(outcomes).toEqual(['sent', 'sent', 'skipped']);
      expect(fake.to(number)).toHaveLength(2);
    } finally {
      await t.as(admin).patch('/api/v1/settings', { sms: { maxPerNumberPerDay: 3 } });
    }
  });

  it('a survey invitation by SMS carries a short link that opens the survey page; the answer is recorded', async () => {
    // The client has a mobile; the email they had is removed after the contact.
    const client = await newClient(ours.butler, { email: `sms-${randomInt(0, 1e9)}@example.com` });
    const followUp = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.butler.id,
      dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
      kind: 'manual',
    });
    expect(followUp.status).toBe(201);
    const done = await t.as(ours.butler.token).post(`/api/v1/follow-ups/${followUp.body.id}/complete`, {
      outcome: 'reached',
      channel: 'phone',
      note: '已开瓶，很满意',
    });
    expect(done.body.survey.invited).toBe(true);
    expect((await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { email: null })).status).toBe(200);

    // Planned for SMS, as channel choice does for a client reachable only by SMS.
    const [invitation] = await t.db.query(`SELECT id FROM survey_invitations WHERE customer_id = $1`, [client.id]);
    const message = await t.app.get(OutboxService).record({
      key: `survey:${invitation.id}`,
      purpose: 'survey_invitation',
      channel: 'sms',
      toAddress: client.mobile,
      customerId: client.id,
    });
    await t.db.query(`UPDATE survey_invitations SET status = 'queued', message_id = $2 WHERE id = $1`, [
      invitation.id,
      message.id,
    ]);
    // A service message: not held at night.
    clock.travelTo(new Date('2027-09-15T22:30:00+08:00'));
    expect(await send(message.id)).toMatchObject({ outcome: 'sent' });

    const [sms] = fake.to(client.mobile);
    expect(sms.templateCode).toBe(SURVEY.code);
    const link = sms.templateParam.link;
    const match = /^https:\/\/b\.example\.cn\/s\/([A-Za-z0-9]{12})$/.exec(link);
    expect(match).not.toBeNull();
    const code = match![1];
    expect(sms.templateParam).toMatchObject({ name: '王先生', days: '14' });
    expect(sms.content).toContain(link);
    // Only the hash is stored.
    const [stored] = await t.db.query(`SELECT status, token_hash FROM survey_invitations WHERE id = $1`, [
      invitation.id,
    ]);
    expect(stored.status).toBe('sent');
    expect(stored.token_hash.toString('hex')).not.toContain(Buffer.from(code).toString('hex'));

    const ip = `10.9.${randomInt(0, 255)}.${randomInt(1, 254)}`;
    const form = await request(t.app, 'GET', `/s/${code}`, { remoteAddress: ip });
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form');
    const answer = await request(t.app, 'POST', `/s/${code}`, {
      body: 'csat=5&nps=10',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: ip,
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('感谢您的评价');
    const responses = await eventually(
      async () =>
        t.db.query(`SELECT csat, nps FROM survey_responses WHERE invitation_id = $1`, [invitation.id]) as Promise<
          { csat: number; nps: number }[]
        >,
      (r) => r.length === 1,
    );
    expect(responses[0]).toEqual({ csat: 5, nps: 10 });
    // A code that was never sent is a clear 404 page.
    expect((await request(t.app, 'GET', `/s/AAAAAAAAAAAA`, { remoteAddress: ip })).status).toBe(404);
  });

  // The "done when": nothing recorded by hand. Channel choice plans the greeting and the
  // survey invitation onto SMS for a client with a mobile and SMS consent but no email.
  it('a mobile-only client gets the festival greeting and the survey by SMS; the answer counts by SMS', async () => {
    type Figures = { channel: string; invitations: number; responses: number };
    const smsFigures = async (): Promise<Figures> => {
      const report = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2027-09-01&to=2027-09-30');
      const item = (report.body.items as { butlerId: string; byChannel: Figures[] }[]).find(
        (i) => i.butlerId === ours.butler.id,
      );
      return item?.byChannel.find((c) => c.channel === 'sms') ?? { channel: 'sms', invitations: 0, responses: 0 };
    };
    const before = await smsFigures();
    clock.travelTo(new Date('2027-09-10T10:00:00+08:00'));
    const tag = `短信客户${randomInt(0, 1e9)}`;
    const client = await newClient(ours.butler, {
      name: '周慕白',
      gender: 'male',
      tags: [tag],
      consent: { channels: { greetings: { sms: true }, surveys: { sms: true } } },
    });

    // The 中秋 greeting: the preview already says SMS, planning writes it so, the worker sends it.
    const draft = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
      name: `中秋短信问候 ${tag}`,
      occasion: 'mid_autumn',
      templateId,
      sendAt: '2027-09-15T09:00:00+08:00',
      audience: { scope: 'team', tags: [tag] },
      draft: true,
    });
    expect(draft.status).toBe(201);
    const preview = await t.as(ours.manager.token).get(`/api/v1/greetings/campaigns/${draft.body.id}/preview`);
    expect(preview.body.counts).toMatchObject({ audience: 1, reachable: 1, reachableBy: { sms: 1 } });
    const confirmed = await t
      .as(ours.manager.token)
      .patch(`/api/v1/greetings/campaigns/${draft.body.id}`, { status: 'scheduled' });
    expect(confirmed.status).toBe(200);
    clock.travelTo(new Date('2027-09-15T09:00:00+08:00'));
    await t.app.get(CampaignRunner).plan(draft.body.id);
    const [greeting] = await eventually(
      async () => fake.to(client.mobile),
      (sent) => sent.length === 1,
    );
    expect(greeting.templateCode).toBe(GREETING.code);
    expect(greeting.templateParam).toMatchObject({ name: '周先生', festival: '中秋节' });
    expect(greeting.content).toMatch(/回T退订$/);
    const [planned] = await t.db.query(`SELECT channel, to_address, status FROM messages WHERE campaign_id = $1`, [
      draft.body.id,
    ]);
    expect(planned).toEqual({ channel: 'sms', to_address: client.mobile, status: 'sent' });

    // A call the client took: the survey invitation falls due 2 h later and goes by SMS.
    const followUp = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.butler.id,
      dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
      kind: 'manual',
    });
    const done = await t.as(ours.butler.token).post(`/api/v1/follow-ups/${followUp.body.id}/complete`, {
      outcome: 'reached',
      channel: 'phone',
      note: '中秋礼盒已收到',
    });
    expect(done.body.survey.invited).toBe(true);
    clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
    expect(await t.app.get(SurveyDispatcher).dispatchDue()).toBeGreaterThanOrEqual(1);
    const sent = await eventually(
      async () => fake.to(client.mobile),
      (all) => all.length === 2,
    );
    const invitation = sent[1];
    expect(invitation.templateCode).toBe(SURVEY.code);
    const code = /\/s\/([A-Za-z0-9]{12})$/.exec(invitation.templateParam.link)![1];

    const ip = `10.8.${randomInt(0, 255)}.${randomInt(1, 254)}`;
    const answer = await request(t.app, 'POST', `/s/${code}`, {
      body: 'csat=5&nps=9',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: ip,
    });
    expect(answer.status).toBe(200);
    const [response] = await eventually(
      async () =>
        t.db.query(`SELECT channel FROM survey_responses WHERE customer_id = $1`, [client.id]) as Promise<
          { channel: string }[]
        >,
      (rows) => rows.length === 1,
    );
    expect(response.channel).toBe('sms');
    // The butler's scorecard counts it by SMS.
    expect(await smsFigures()).toMatchObject({
      invitations: before.invitations + 1,
      responses: before.responses + 1,
    });
  });
});
