import { randomInt, randomUUID } from 'node:crypto';

import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';

import { Clock } from '@app/common';
import { CustomersService } from '@app/customers';
import { CampaignRunner } from '@app/greetings';
import { MailSenderService } from '@app/mail';
import { QUEUES } from '@app/queue';
import { SurveyDispatcher } from '@app/surveys';

import { ConsentByChannel1795480000000 } from '../migrations/1795480000000-ConsentByChannel';
import { customerBody, defaultTemplateIds, Team, twoTeams, uniqueMobile } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

// Channels and consent (issue 16, docs/channels.md): consent per purpose and channel, the channel a
// message goes by (preferred, else settings.channels.order, else skipped no_channel / no_consent),
// and one contact cap across channels and purposes, when planned and when sent. The campaigns queue
// is paused: the test plans and sends campaigns itself, so nothing moves between its steps.
describe('channels and consent', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  let templateId: string;

  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const CAMPAIGNS = '/api/v1/greetings/campaigns';
  // A weekday morning, Asia/Shanghai.
  const MORNING = new Date('2027-03-10T10:00:00+08:00');
  const NO_CONSENT = { greetings: false, surveys: false };

  type Client = {
    id: string;
    email: string | null;
    mobile: string | null;
    preferredChannel: string | null;
    consent: {
      greetings: boolean;
      surveys: boolean;
      channels: Record<'greetings' | 'surveys', Record<'email' | 'sms' | 'wecom', boolean>>;
      updatedAt: string | null;
      source: string | null;
    };
  };
  const client = async (overrides: Record<string, unknown>, token = ours.butler.token): Promise<Client> => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    if (res.status !== 201) throw new Error(res.text);
    return res.body as Client;
  };
  const consentRecord = async (id: string) =>
    (await t.db.query(
      `SELECT purpose, channel, granted, source, updated_at FROM customer_consents WHERE customer_id = $1
        ORDER BY purpose, channel`,
      [id],
    )) as { purpose: string; channel: string; granted: boolean; source: string | null; updated_at: Date }[];
  const draft = async (tag: string) => {
    const res = await t.as(ours.manager.token).post(CAMPAIGNS, {
      name: `渠道问候 ${tag}`,
      occasion: 'custom',
      templateId,
      sendAt: new Date(clock.now().getTime() + 1000).toISOString(),
      audience: { scope: 'team', tags: [tag] },
      draft: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const preview = async (id: string) => {
    const res = await t.as(ours.manager.token).get(`${CAMPAIGNS}/${id}/preview`);
    expect(res.status).toBe(200);
    return res.body.counts as {
      audience: number;
      reachable: number;
      reachableBy: Record<string, number>;
      skipped: Record<string, number>;
    };
  };
  // Confirms a draft and plans it at its send time, as the worker does (messages are due from then).
  const plan = async (id: string) => {
    const confirmed = await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${id}`, { status: 'scheduled' });
    expect(confirmed.status).toBe(200);
    const sendAt = new Date(confirmed.body.sendAt as string);
    if (sendAt > clock.now()) clock.travelTo(sendAt);
    await t.app.get(CampaignRunner).plan(id);
  };
  const messagesOf = async (campaignId: string) =>
    new Map(
      (
        (await t.db.query(
          `SELECT customer_id, channel, to_address, status, skip_reason FROM messages WHERE campaign_id = $1`,
          [campaignId],
        )) as { customer_id: string; channel: string; to_address: string | null; status: string; skip_reason: string }[]
      ).map((m) => [m.customer_id, m]),
    );
  // Messages a client was already sent, as the outbox records them (purpose, sent `daysAgo` before
  // the clock's now).
  const alreadySent = async (customerId: string, purpose: string, daysAgo: number) => {
    const at = new Date(clock.now().getTime() - daysAgo * DAY);
    await t.db.query(
      `INSERT INTO messages (key, purpose, channel, customer_id, to_address, status, scheduled_at, sent_at)
       VALUES ($1, $2, 'email', $3, 'x@example.com', 'sent', $4, $4)`,
      [`test-sent:${randomUUID()}`, purpose, customerId, at],
    );
  };
  const setSettings = (body: Record<string, unknown>) => t.as(admin).patch('/api/v1/settings', body);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    await t.app.get<Queue>(getQueueToken(QUEUES.campaigns)).pause();
    ({ admin, ours } = await twoTeams(t));
    templateId = (await defaultTemplateIds(t, admin)).get('custom')!;
    clock = t.app.get(Clock);
  });
  beforeEach(() => clock.travelTo(MORNING));
  afterEach(async () => {
    clock.reset();
    await setSettings({ channels: { order: ['email', 'sms'] }, caps: { maxMessagesPerDays: { max: 4, days: 30 } } });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  describe('consent per purpose and channel', () => {
    it('is given and changed per channel through the API, recorded with when and how, and audited', async () => {
      const c = await client({
        consent: { channels: { greetings: { sms: true }, surveys: { email: true, sms: true } }, source: 'store' },
        preferredChannel: 'sms',
      });
      expect(c.preferredChannel).toBe('sms');
      expect(c.consent).toMatchObject({
        // On any channel, as before.
        greetings: true,
        surveys: true,
        channels: {
          greetings: { email: false, sms: true, wecom: false },
          surveys: { email: true, sms: true, wecom: false },
        },
        source: 'store',
        updatedAt: expect.any(String),
      });
      // The record: the channels consent was given on, when and how.
      expect((await consentRecord(c.id)).map((r) => `${r.purpose}/${r.channel} ${r.granted} ${r.source}`)).toEqual([
        'greetings/sms true store',
        'surveys/email true store',
        'surveys/sms true store',
      ]);

      clock.travelTo(new Date(MORNING.getTime() + DAY));
      const withdrawn = await t.as(ours.butler.token).patch(`/api/v1/customers/${c.id}`, {
        consent: { channels: { greetings: { sms: false } }, source: 'phone' },
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.consent).toMatchObject({
        greetings: false,
        channels: { greetings: { email: false, sms: false, wecom: false } },
        source: 'phone',
      });
      const changedAt = new Date(withdrawn.body.consent.updatedAt as string);
      expect(Math.abs(changedAt.getTime() - (MORNING.getTime() + DAY))).toBeLessThan(60_000);
      const record = await consentRecord(c.id);
      expect(record.find((r) => r.purpose === 'greetings' && r.channel === 'sms')).toMatchObject({
        granted: false,
        source: 'phone',
        updated_at: changedAt,
      });
      // Surveys untouched: their record keeps the first answer's time.
      expect(record.find((r) => r.purpose === 'surveys' && r.channel === 'sms')?.source).toBe('store');
      const audit = await t.as(ours.manager.token).get(`/api/v1/customers/${c.id}/audit`);
      expect(audit.status).toBe(200);
      const update = (
        audit.body.items as { action: string; changes: Record<string, { from: unknown; to: unknown }> }[]
      ).find((e) => e.action === 'update');
      expect(update?.changes.consent).toMatchObject({
        from: { channels: { greetings: { sms: true } } },
        to: { channels: { greetings: { sms: false } } },
      });

      // The old per-purpose answer still works: yes is a yes on email, no withdraws every channel.
      const yes = await t.as(ours.butler.token).patch(`/api/v1/customers/${c.id}`, { consent: { greetings: true } });
      expect(yes.body.consent.channels.greetings).toEqual({ email: true, sms: false, wecom: false });
      const no = await t.as(ours.butler.token).patch(`/api/v1/customers/${c.id}`, { consent: { surveys: false } });
      expect(no.body.consent.channels.surveys).toEqual({ email: false, sms: false, wecom: false });
      expect(no.body.consent.surveys).toBe(false);
    });

    it('refuses a bad channel or answer with a 400 naming the field, and changes nothing', async () => {
      const c = await client({ preferredChannel: 'email' });
      for (const [body, field] of [
        [{ preferredChannel: 'fax' }, 'preferredChannel'],
        [{ consent: { channels: { greetings: { sms: 'yes' } } } }, 'consent.channels.greetings.sms'],
        [{ consent: { channels: { greetings: { fax: true } } } }, 'consent.channels.greetings.fax'],
      ] as const) {
        const res = await t.as(ours.butler.token).patch(`/api/v1/customers/${c.id}`, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect((res.body.fields as { field: string }[]).map((f) => f.field)).toContain(field);
      }
      const after = await t.as(ours.butler.token).get(`/api/v1/customers/${c.id}`);
      expect(after.body.preferredChannel).toBe('email');
      expect(after.body.consent).toEqual(c.consent);
      // Clearing the preference is allowed.
      const cleared = await t.as(ours.butler.token).patch(`/api/v1/customers/${c.id}`, { preferredChannel: null });
      expect(cleared.body.preferredChannel).toBeNull();
    });

    it('withdraws one channel at a time: an SMS uplink (T) and an email unsubscribe link, each audited', async () => {
      const c = await client({
        consent: { channels: { greetings: { email: true, sms: true }, surveys: { sms: true } }, source: 'store' },
      });
      const customers = t.app.get(CustomersService);
      expect(await customers.withdrawConsent(c.id, 'greetings', 'sms', 'sms_uplink')).toMatchObject({ name: '王建国' });
      let now = (await t.as(ours.butler.token).get(`/api/v1/customers/${c.id}`)).body as Client;
      expect(now.consent.channels.greetings).toEqual({ email: true, sms: false, wecom: false });
      expect(now.consent.channels.surveys.sms).toBe(true);
      expect(now.consent.source).toBe('sms_uplink');
      // A second uplink changes nothing and is not audited again.
      await customers.withdrawConsent(c.id, 'greetings', 'sms', 'sms_uplink');
      // The unsubscribe link withdraws greetings by email only.
      await customers.unsubscribeGreetings(c.id);
      now = (await t.as(ours.butler.token).get(`/api/v1/customers/${c.id}`)).body as Client;
      expect(now.consent.channels.greetings).toEqual({ email: false, sms: false, wecom: false });
      expect(now.consent.channels.surveys.sms).toBe(true);
      const entries = (await t.as(ours.manager.token).get(`/api/v1/customers/${c.id}/audit`)).body.items as {
        actorId: string | null;
        changes: Record<string, unknown>;
      }[];
      const withdrawals = entries.filter((e) => e.actorId === null).map((e) => e.changes);
      expect(withdrawals).toHaveLength(2);
      expect(withdrawals).toEqual(
        expect.arrayContaining([
          { 'consent.channels.greetings.sms': { from: true, to: false }, source: 'sms_uplink' },
          { 'consent.channels.greetings.email': { from: true, to: false }, source: 'unsubscribe' },
        ]),
      );
      const record = await consentRecord(c.id);
      expect(record.find((r) => r.purpose === 'greetings' && r.channel === 'sms')).toMatchObject({
        granted: false,
        source: 'sms_uplink',
      });
    });

    it('has a migration that turns the consent already given into consent on email only', async () => {
      const runner = t.db.createQueryRunner();
      const migration = new ConsentByChannel1795480000000();
      const given = new Date('2026-05-01T10:00:00+08:00');
      try {
        await runner.startTransaction();
        await migration.down(runner);
        const [{ id }]: { id: string }[] = await runner.query(
          `INSERT INTO customers (name, mobile, email, butler_id, consent_greetings, consent_surveys,
                                  consent_updated_at, consent_source)
           VALUES ('迁移前', $1, 'before@example.com', $2, true, false, $3, 'store') RETURNING id`,
          [uniqueMobile(), ours.butler.id, given],
        );
        await migration.up(runner);
        const [row] = await runner.query(
          `SELECT consent_greetings, consent_surveys, consent_greetings_email, consent_greetings_sms,
                  consent_greetings_wecom, consent_surveys_email, consent_surveys_sms, preferred_channel
             FROM customers WHERE id = $1`,
          [id],
        );
        expect(row).toEqual({
          consent_greetings: true,
          consent_surveys: false,
          consent_greetings_email: true,
          consent_greetings_sms: false,
          consent_greetings_wecom: false,
          consent_surveys_email: false,
          consent_surveys_sms: false,
          preferred_channel: null,
        });
        const record = await runner.query(
          `SELECT purpose, channel, granted, updated_at, source FROM customer_consents WHERE customer_id = $1
            ORDER BY purpose`,
          [id],
        );
        expect(record).toEqual([
          { purpose: 'greetings', channel: 'email', granted: true, updated_at: given, source: 'store' },
          { purpose: 'surveys', channel: 'email', granted: false, updated_at: given, source: 'store' },
        ]);
        // A writer of the old column after the migration (CSV import, seeds): a yes is a yes on email.
        await runner.query(`UPDATE customers SET consent_surveys = true WHERE id = $1`, [id]);
        const [after] = await runner.query(
          `SELECT consent_surveys_email, consent_surveys_sms FROM customers WHERE id = $1`,
          [id],
        );
        expect(after).toEqual({ consent_surveys_email: true, consent_surveys_sms: false });
      } finally {
        // Nothing of this stays: the schema is as the migrations left it.
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });

  describe('the channel of each message', () => {
    it('goes by the preferred channel, else the order, else skips no_channel or no_consent', async () => {
      const tag = `渠道${randomInt(1e6)}`;
      const prefersSms = await client({
        tags: [tag],
        preferredChannel: 'sms',
        consent: { channels: { greetings: { email: true, sms: true } } },
      });
      const emailFirst = await client({
        tags: [tag],
        consent: { channels: { greetings: { email: true, sms: true } } },
      });
      const mobileOnly = await client({
        tags: [tag],
        email: null,
        consent: { channels: { greetings: { sms: true } } },
      });
      const noAddress = await client({ tags: [tag], email: null, consent: { greetings: true, surveys: true } });
      const wecomOnly = await client({
        tags: [tag],
        preferredChannel: 'wecom',
        consent: { channels: { greetings: { wecom: true } } },
      });
      const refused = await client({ tags: [tag], consent: NO_CONSENT });

      const id = await draft(tag);
      expect(await preview(id)).toEqual({
        audience: 6,
        reachable: 3,
        reachableBy: { sms: 2, email: 1 },
        skipped: { no_channel: 2, no_consent: 1 },
      });
      // SMS first: every client with SMS consent and a mobile goes by SMS.
      expect((await setSettings({ channels: { order: ['sms', 'email'] } })).status).toBe(200);
      expect((await preview(id)).reachableBy).toEqual({ sms: 3 });
      // A bad order is a 400 naming the field; the order stays.
      for (const order of [['fax'], ['sms', 'sms'], [], 'sms']) {
        const res = await setSettings({ channels: { order } });
        expect(res.status).toBe(400);
        expect((res.body.fields as { field: string }[]).map((f) => f.field)).toContain('channels.order');
      }
      expect((await t.as(admin).get('/api/v1/settings')).body.channels).toEqual({ order: ['sms', 'email'] });
      await setSettings({ channels: { order: ['email', 'sms'] } });

      await plan(id);
      const messages = await messagesOf(id);
      expect(messages.get(prefersSms.id)).toMatchObject({ channel: 'sms', to_address: prefersSms.mobile });
      expect(messages.get(emailFirst.id)).toMatchObject({
        channel: 'email',
        to_address: emailFirst.email,
        status: 'pending',
      });
      expect(messages.get(mobileOnly.id)).toMatchObject({ channel: 'sms', to_address: mobileOnly.mobile });
      expect(messages.get(noAddress.id)).toMatchObject({ status: 'skipped', skip_reason: 'no_channel' });
      expect(messages.get(wecomOnly.id)).toMatchObject({ status: 'skipped', skip_reason: 'no_channel' });
      expect(messages.get(refused.id)).toMatchObject({ status: 'skipped', skip_reason: 'no_consent' });

      // Sent on the channel it was planned on; a client who withdrew it since is skipped at send time.
      await t.app.get(CustomersService).withdrawConsent(emailFirst.id, 'greetings', 'email', 'unsubscribe');
      await t.app.get(CampaignRunner).sendBatch(id, 0);
      expect((await messagesOf(id)).get(emailFirst.id)).toMatchObject({
        status: 'skipped',
        skip_reason: 'unsubscribed',
      });
      expect(sink.to(emailFirst.email!)).toHaveLength(0);
    });

    it('invites a client with a mobile and SMS survey consent but no email: by SMS, to the mobile', async () => {
      const c = await client({ email: null, consent: { channels: { surveys: { sms: true } }, source: 'store' } });
      const created = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
        customerId: c.id,
        butlerId: ours.butler.id,
        dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
        kind: 'manual',
      });
      expect(created.status).toBe(201);
      const done = await t.as(ours.butler.token).post(`/api/v1/follow-ups/${created.body.id}/complete`, {
        outcome: 'reached',
        channel: 'phone',
        note: '很满意',
      });
      expect(done.body.survey.invited).toBe(true);
      clock.travelTo(new Date(clock.now().getTime() + 3 * HOUR));
      await t.app.get(SurveyDispatcher).dispatchDue();
      // (Sending it is the SMS provider's: here, the row.)
      const rows = await t.db.query(
        `SELECT m.channel, m.to_address FROM survey_invitations i JOIN messages m ON m.id = i.message_id
          WHERE i.customer_id = $1`,
        [c.id],
      );
      expect(rows).toEqual([{ channel: 'sms', to_address: c.mobile }]);
    });
    it('checks a survey invitation again when sending, on its own channel and address', async () => {
      const mail = t.app.get<Queue>(getQueueToken(QUEUES.mail));
      await mail.pause();
      try {
        const moved = await client({});
        const withdrew = await client({});
        for (const c of [moved, withdrew]) {
          const created = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
            customerId: c.id,
            butlerId: ours.butler.id,
            dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
            kind: 'manual',
          });
          await t.as(ours.butler.token).post(`/api/v1/follow-ups/${created.body.id}/complete`, {
            outcome: 'reached',
            channel: 'phone',
            note: '',
          });
        }
        clock.travelTo(new Date(clock.now().getTime() + 3 * HOUR));
        await t.app.get(SurveyDispatcher).dispatchDue();
        const messageOf = async (id: string) =>
          (
            await t.db.query(
              `SELECT i.message_id, i.status, i.skip_reason, m.status AS message, m.skip_reason AS message_skip
                 FROM survey_invitations i JOIN messages m ON m.id = i.message_id WHERE i.customer_id = $1`,
              [id],
            )
          )[0] as { message_id: string; status: string; skip_reason: string | null; message: string };
        // Recorded by email; then the client gives a new address, the other withdraws survey email.
        expect(await messageOf(moved.id)).toMatchObject({ status: 'queued', message: 'pending' });
        await t.as(ours.butler.token).patch(`/api/v1/customers/${moved.id}`, { email: `new-${moved.email}` });
        await t.as(ours.butler.token).patch(`/api/v1/customers/${withdrew.id}`, {
          consent: { channels: { surveys: { email: false, sms: true } } },
        });
        const sender = t.app.get(MailSenderService);
        expect(await sender.sendPending((await messageOf(moved.id)).message_id)).toEqual({
          outcome: 'skipped',
          reason: 'address_changed',
        });
        expect(await sender.sendPending((await messageOf(withdrew.id)).message_id)).toEqual({
          outcome: 'skipped',
          reason: 'no_consent',
        });
        expect(await messageOf(moved.id)).toMatchObject({ status: 'skipped', skip_reason: 'address_changed' });
        expect(await messageOf(withdrew.id)).toMatchObject({ status: 'skipped', skip_reason: 'no_consent' });
        expect(sink.to(moved.email!)).toHaveLength(0);
        expect(sink.to(withdrew.email!)).toHaveLength(0);
      } finally {
        await mail.resume();
      }
    });
  });

  describe('one contact cap across channels and purposes', () => {
    it('skips a client sent the maximum in the window when planned, not once the window has passed', async () => {
      const tag = `封顶${randomInt(1e6)}`;
      const full = await client({ tags: [tag] });
      const room = await client({ tags: [tag] });
      for (const purpose of ['greeting', 'survey_invitation', 'survey_invitation', 'greeting'])
        await alreadySent(full.id, purpose, 10);
      // Staff alerts about the client are not messages to the client.
      for (const purpose of ['greeting', 'survey_invitation', 'survey_invitation', 'recovery_alert'])
        await alreadySent(room.id, purpose, 10);

      const id = await draft(tag);
      expect(await preview(id)).toMatchObject({ reachable: 1, skipped: { capped: 1 } });
      // Raised to 5 in 30 days: both reachable; 0 days: no cap.
      await setSettings({ caps: { maxMessagesPerDays: { max: 5, days: 30 } } });
      expect((await preview(id)).reachable).toBe(2);
      await setSettings({ caps: { maxMessagesPerDays: { max: 4, days: 0 } } });
      expect((await preview(id)).reachable).toBe(2);
      const bad = await setSettings({ caps: { maxMessagesPerDays: { max: 0, days: 30 } } });
      expect(bad.status).toBe(400);
      expect((bad.body.fields as { field: string }[]).map((f) => f.field)).toContain('caps.maxMessagesPerDays.max');
      await setSettings({ caps: { maxMessagesPerDays: { max: 4, days: 30 } } });

      // 21 days on, the messages are 31 days old: out of the window.
      clock.travelTo(new Date(MORNING.getTime() + 21 * DAY));
      const later = await draft(tag);
      expect((await preview(later)).reachable).toBe(2);
    });

    it('checks again when sending: a greeting planned with room is skipped if the cap filled meanwhile', async () => {
      const tag = `发送封顶${randomInt(1e6)}`;
      const c = await client({ tags: [tag] });
      const other = await client({ tags: [tag] });
      for (let i = 0; i < 3; i++) await alreadySent(c.id, 'survey_invitation', 5);
      const id = await draft(tag);
      await plan(id);
      expect((await messagesOf(id)).get(c.id)).toMatchObject({ status: 'pending' });
      // A survey invitation went out meanwhile: the fourth in 30 days.
      await alreadySent(c.id, 'survey_invitation', 0);
      await t.app.get(CampaignRunner).sendBatch(id, 0);
      const messages = await messagesOf(id);
      expect(messages.get(c.id)).toMatchObject({ status: 'skipped', skip_reason: 'capped' });
      expect(sink.to(c.email!)).toHaveLength(0);
      await eventually(
        async () => sink.to(other.email!),
        (m) => m.length === 1,
      );
      expect(messages.get(other.id)).toMatchObject({ status: 'sent' });
    });

    it('holds back a survey invitation when dispatched to a client at the cap', async () => {
      const c = await client({});
      for (let i = 0; i < 4; i++) await alreadySent(c.id, 'greeting', 3);
      const created = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
        customerId: c.id,
        butlerId: ours.butler.id,
        dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
        kind: 'manual',
      });
      await t.as(ours.butler.token).post(`/api/v1/follow-ups/${created.body.id}/complete`, {
        outcome: 'reached',
        channel: 'phone',
        note: '',
      });
      clock.travelTo(new Date(clock.now().getTime() + 3 * HOUR));
      await t.app.get(SurveyDispatcher).dispatchDue();
      const [invitation] = await t.db.query(
        `SELECT status, skip_reason, message_id FROM survey_invitations WHERE customer_id = $1`,
        [c.id],
      );
      expect(invitation).toEqual({ status: 'skipped', skip_reason: 'capped', message_id: null });
    });
  });
});
