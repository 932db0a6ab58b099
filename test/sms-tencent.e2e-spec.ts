import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { MailSenderService, OutboxService } from '@app/mail';
import { TencentSmsClient } from '@app/sms';

import { customerBody, Team, twoTeams } from './support/factories';
import { bootWithFakeSms } from './support/fake-sms-app';
import { FakeTencentSms } from './support/fake-tencent-sms';
import { TestApp } from './support/test-app';

const SECRET = 'sms-callback-secret-for-tencent';
const RECEIPTS = '/api/v1/sms/tencent/receipts';
const UPLINKS = '/api/v1/sms/tencent/uplinks';

// Approved at Tencent with positional variables; entered in settings with the product's names in
// that order (params), the text written with those names so the console can preview it.
const APPROVED = '{1}您好，{2}将至，{3}祝您节日安康。回T退订';
const GREETING = {
  code: '1960001',
  text: '${name}您好，${festival}将至，${butler}祝您节日安康。回T退订',
  params: ['name', 'festival', 'butler'],
};

describe('SMS: Tencent Cloud as the provider', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  let campaignId: string;
  const fake = new FakeTencentSms('AKIDfakeTencentSecretId', 'fake-tencent-secret-key', '1400006666', '白酒管家');

  const row = async (id: string) =>
    (
      await t.db.query(
        `SELECT status, attempts, last_error, provider_message_id, delivery_status, delivered_at, delivery_error
           FROM messages WHERE id = $1`,
        [id],
      )
    )[0] as Record<string, any>;

  beforeAll(async () => {
    fake.templates.set(GREETING.code, APPROVED);
    await fake.start();
    t = await bootWithFakeSms(fake, { SMTP_URL: undefined, SMS_CALLBACK_SECRET: SECRET, SMS_TIMEOUT_MS: '2000' });
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
    const settings = await t.as(admin).patch('/api/v1/settings', {
      sms: {
        templates: { greetings: [{ occasion: 'custom', ...GREETING }], surveyInvitation: null, recoveryAlert: null },
        maxPerNumberPerDay: 3,
      },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.sms.templates.greetings[0].params).toEqual(GREETING.params);
    const templates = await t.as(admin).get('/api/v1/templates');
    const templateId = templates.body.items.find(
      (x: { occasion: string; isDefault: boolean }) => x.isDefault && x.occasion === 'mid_autumn',
    ).id;
    clock.travelTo(new Date('2027-09-10T10:00:00+08:00'));
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
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('settings refuse a positional order naming a variable the product cannot fill', async () => {
    const bad = await t.as(admin).patch('/api/v1/settings', {
      sms: {
        templates: {
          greetings: [{ occasion: 'custom', ...GREETING, params: ['name', 'price'] }],
          surveyInvitation: null,
          recoveryAlert: null,
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([
      expect.objectContaining({ field: 'sms.templates.greetings.0.params', code: 'smsUnknownVariable' }),
    ]);
  });

  it('a client with a mobile and no email gets the greeting by Tencent SMS; a receipt marks it delivered', async () => {
    const consent = { channels: { greetings: { sms: true } } };
    const client = (
      await t
        .as(ours.butler.token)
        .post('/api/v1/customers', customerBody({ email: null, name: '王建国', gender: 'male', consent }))
    ).body as { id: string; mobile: string };
    const message = await t.app.get(OutboxService).record({
      key: `greeting:${campaignId}:${client.id}`,
      purpose: 'greeting',
      channel: 'sms',
      toAddress: client.mobile,
      customerId: client.id,
      campaignId,
      context: { name: '王建国', gender: 'male', butlerName: '李娜', favoriteAroma: null },
    });
    clock.travelTo(new Date('2027-09-15T09:00:00+08:00'));
    expect(await t.app.get(MailSenderService).sendPending(message.id)).toMatchObject({ outcome: 'sent' });

    // Taken only with a valid TC3 signature of the configured key.
    expect(fake.rejected).toEqual([]);
    const [sms] = fake.to(client.mobile);
    expect(sms.body).toMatchObject({ PhoneNumberSet: [`+86${client.mobile}`], SmsSdkAppId: '1400006666' });
    expect(sms.templateId).toBe(GREETING.code);
    expect(sms.params).toEqual(['王先生', '中秋节', '李娜']);
    expect(sms.sessionContext).toBe(message.id);
    expect(sms.content).toBe('【白酒管家】王先生您好，中秋节将至，李娜祝您节日安康。回T退订');
    expect(await row(message.id)).toMatchObject({ status: 'sent', provider_message_id: sms.serialNo });

    // A forged receipt changes nothing; Tencent's marks it delivered at the time it reports.
    const forged = await fake.push(t.app, RECEIPTS, fake.receiptBody(sms, true), 'not-the-callback-secret');
    expect(forged.status).toBe(401);
    expect((await row(message.id)).delivery_status).toBeNull();
    const receipt = await fake.push(t.app, RECEIPTS, fake.receiptBody(sms, true, '2027-09-15 09:00:04'), SECRET);
    expect(receipt).toEqual({ status: 200, body: { result: 0, errmsg: 'OK' } });
    const stored = await row(message.id);
    expect(stored.delivery_status).toBe('delivered');
    expect(new Date(stored.delivered_at).toISOString()).toBe(new Date('2027-09-15T09:00:04+08:00').toISOString());
    // A receipt naming another number for that serial number changes nothing.
    const other = { ...sms, phone: '13900000000' };
    await fake.push(t.app, RECEIPTS, fake.receiptBody(other, false), SECRET);
    expect((await row(message.id)).delivery_status).toBe('delivered');

    // The client's reply "T": greetings by SMS withdrawn, as with Aliyun.
    const before = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`);
    expect(before.body.consent.channels.greetings.sms).toBe(true);
    const reply = await fake.push(t.app, UPLINKS, fake.uplinkBody(client.mobile, ' td '), SECRET);
    expect(reply).toEqual({ status: 200, body: { result: 0, errmsg: 'OK' } });
    const after = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`);
    expect(after.body.consent.channels.greetings.sms).toBe(false);
    expect((await fake.push(t.app, UPLINKS, [{ mobile: 1, text: {} }], SECRET)).status).toBe(200);
    expect((await fake.push(t.app, UPLINKS, { mobile: client.mobile }, SECRET)).status).toBe(400);
  });

  it("maps Tencent's answers onto the outbox's failure kinds", async () => {
    const client = t.app.get(TencentSmsClient);
    const send = () =>
      client.sendSms({ phone: '13812345678', templateId: GREETING.code, params: ['a', 'b', 'c'], sessionContext: 'x' });
    const kind = async () => {
      const result = await send();
      return result.accepted ? 'accepted' : `${result.failure.kind} ${result.failure.reason.split(':')[0]}`;
    };
    fake.failNext('daily_limit', 'internal', 'bad_number', 'bad_template', 'no_balance', 'http502');
    expect(await kind()).toBe('retry tencent LimitExceeded.PhoneNumberDailyLimit');
    expect(await kind()).toBe('retry tencent InternalError.Timeout');
    expect(await kind()).toBe('permanent tencent InvalidParameterValue.IncorrectPhoneNumber');
    expect(await kind()).toBe('permanent tencent FailedOperation.TemplateIncorrectOrUnapproved');
    expect(await kind()).toBe('outage tencent FailedOperation.InsufficientBalanceInSmsPackage');
    expect(await kind()).toBe('outage tencent HTTP 502');
    expect(await kind()).toBe('accepted');
    // A wrong SecretKey: the fake's signature check refuses it, and no message could go: an outage.
    const config = t.app.get(AppConfig);
    const wrongKey = new TencentSmsClient({
      ...config,
      sms: { ...config.sms, SMS_TENCENT_SECRET_KEY: 'not-the-key' },
    } as AppConfig);
    const refused = await wrongKey.sendSms({
      phone: '13812345678',
      templateId: GREETING.code,
      params: [],
      sessionContext: 'y',
    });
    expect(refused).toMatchObject({ accepted: false, failure: { kind: 'outage' } });
    expect(fake.rejected.at(-1)).toEqual({ code: 'AuthFailure.SignatureFailure' });
    await fake.stop();
    try {
      expect(await kind()).toBe('outage tencent unreachable');
    } finally {
      await fake.start();
    }
  });
});
