import { createHash, randomInt, randomUUID } from 'node:crypto';

import { Clock } from '@app/common';
import { SurveyDispatcher } from '@app/surveys';

import { createProduct, customerBody, Member, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 86_400_000;
// Far enough ahead that every client the tests create (created_at is the database's clock) was
// registered before it, under faketime too.
const T0 = new Date('2030-01-10T10:00:00+08:00');
const ago = (ms: number) => new Date(clock.now().getTime() - ms).toISOString();
const ahead = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
let clock: Clock;

describe('contact log (记一笔), surveys after a real contact, last touch', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let productId: string;

  const newClient = async (butler: Member, overrides: Record<string, unknown> = {}) => {
    const res = await t
      .as(butler.token)
      .post('/api/v1/customers', customerBody({ email: `contact-${randomInt(0, 1e9)}@example.com`, ...overrides }));
    expect(res.status).toBe(201);
    return res.body as { id: string; email: string; name: string };
  };
  const logContact = (token: string, customerId: string, body: Record<string, unknown> = {}) =>
    t.as(token).post(`/api/v1/customers/${customerId}/interactions`, {
      kind: 'call',
      outcome: 'reached',
      occurredAt: ago(HOUR),
      summary: '客户来电询问年份酒，约好周末到店品鉴',
      ...body,
    });
  const written = async (customerId: string) => ({
    interactions: Number(
      (await t.db.query(`SELECT count(*) AS n FROM interactions WHERE customer_id = $1`, [customerId]))[0].n,
    ),
    followUps: Number(
      (await t.db.query(`SELECT count(*) AS n FROM follow_ups WHERE customer_id = $1`, [customerId]))[0].n,
    ),
    invitations: Number(
      (await t.db.query(`SELECT count(*) AS n FROM survey_invitations WHERE customer_id = $1`, [customerId]))[0].n,
    ),
    lastTouchAt: (await t.db.query(`SELECT last_touch_at FROM customers WHERE id = $1`, [customerId]))[0]
      .last_touch_at as Date | null,
  });
  const freshTeam = async (): Promise<Team> => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    return { manager, butler, colleague };
  };
  // The delay passes and the dispatcher runs: whatever survey mail is due goes to the sink.
  const dispatchAfterDelay = async () => {
    clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
    await t.app.get(SurveyDispatcher).dispatchDue();
  };
  const mailTo = (email: string) =>
    eventually(
      async () => sink.to(email),
      (m) => m.length > 0,
      20_000,
    );

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    productId = (await createProduct(t, admin)).id;
  });
  beforeEach(() => clock.travelTo(T0));
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  describe('POST /customers/:id/interactions', () => {
    it('the owning butler logs a call: 201, on the contact log, the timeline and the audit log', async () => {
      const client = await newClient(ours.butler);
      const res = await logContact(ours.butler.token, client.id, { occurredAt: '2030-01-10T09:15:00+08:00' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        customerId: client.id,
        butlerId: ours.butler.id,
        recordedBy: ours.butler.id,
        kind: 'call',
        channel: 'phone',
        outcome: 'reached',
        summary: '客户来电询问年份酒，约好周末到店品鉴',
        occurredAt: '2030-01-10T01:15:00.000Z',
        // A call is not surveyed by default.
        survey: { invited: false, reason: 'disabled' },
        nextFollowUp: null,
      });

      const list = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/interactions`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([res.body.id]);

      const timeline = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/timeline`);
      const event = timeline.body.items.find((e: { type: string; id: string }) => e.id === res.body.id);
      expect(event).toMatchObject({
        type: 'interaction',
        data: { kind: 'call', channel: 'phone', outcome: 'reached', butlerId: ours.butler.id },
      });

      const [audit] = await t.db.query(
        `SELECT actor_id, action, changes FROM audit_log WHERE entity_type = 'interaction' AND entity_id = $1`,
        [res.body.id],
      );
      expect(audit).toMatchObject({
        actor_id: ours.butler.id,
        action: 'create',
        changes: { customerId: client.id, kind: 'call', outcome: 'reached' },
      });
      expect((await written(client.id)).lastTouchAt?.toISOString()).toBe('2030-01-10T01:15:00.000Z');
    });

    it("another butler's client is not found and nothing is written; the team's manager may log it", async () => {
      const client = await newClient(ours.butler);
      for (const token of [theirs.butler.token, theirs.manager.token, ours.colleague.token]) {
        const res = await logContact(token, client.id, { nextFollowUpAt: ahead(DAY) });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
        expect((await t.as(token).get(`/api/v1/customers/${client.id}/interactions`)).status).toBe(404);
      }
      expect(await written(client.id)).toEqual({ interactions: 0, followUps: 0, invitations: 0, lastTouchAt: null });

      // The manager's contact counts for the client's butler; the log says who wrote it.
      const byManager = await logContact(ours.manager.token, client.id, { kind: 'visit' });
      expect(byManager.status).toBe(201);
      expect(byManager.body).toMatchObject({ butlerId: ours.butler.id, recordedBy: ours.manager.id });
      // Not surveyed: the rating would judge the butler for a contact logged by someone else.
      expect(byManager.body.survey).toEqual({ invited: false, reason: 'disabled' });
      expect((await logContact(admin, client.id)).status).toBe(201);
    });

    it.each([
      ['occurredAt', 'in the future', { occurredAt: 'in the future' }, 'notInFuture'],
      ['occurredAt', '31 days back', { occurredAt: 'older than 30 days' }, 'notOlderThanDays'],
      ['nextFollowUpAt', 'in the past', { nextFollowUpAt: 'in the past' }, 'notInPast'],
      ['kind', 'follow_up', { kind: 'follow_up' }, 'isIn'],
      ['outcome', 'resolved', { outcome: 'resolved' }, 'isIn'],
      ['summary', '2001 characters', { summary: '字'.repeat(2001) }, 'maxLength'],
      ['summary', 'missing', { summary: undefined }, 'required'],
      ['occurredAt', 'without an offset', { occurredAt: '2030-01-10 09:00' }, 'isOffsetDateTime'],
    ])('%s %s is a 400 naming it, and nothing is written', async (field, _label, body, code) => {
      const client = await newClient(ours.butler);
      const resolved: Record<string, unknown> = { ...body };
      if (resolved.occurredAt === 'in the future') resolved.occurredAt = ahead(60_000);
      if (resolved.occurredAt === 'older than 30 days') resolved.occurredAt = ago(31 * DAY);
      if (resolved.nextFollowUpAt === 'in the past') resolved.nextFollowUpAt = ago(60_000);
      const res = await logContact(ours.butler.token, client.id, resolved);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
      expect(await written(client.id)).toEqual({ interactions: 0, followUps: 0, invitations: 0, lastTouchAt: null });
    });

    it("accepts a contact 30 days back, and nextFollowUpAt plans the butler's own follow-up on 今日", async () => {
      const client = await newClient(ours.butler);
      expect((await logContact(ours.butler.token, client.id, { occurredAt: ago(30 * DAY - 60_000) })).status).toBe(201);
      // Without occurredAt: now, by the server's clock.
      const now = await logContact(ours.butler.token, client.id, { occurredAt: undefined });
      expect(now.status).toBe(201);
      expect(Date.parse(now.body.occurredAt)).toBeGreaterThanOrEqual(T0.getTime());
      expect(Date.parse(now.body.occurredAt)).toBeLessThan(T0.getTime() + 60_000);
      // Due later today, Shanghai: on the butler's 今日 list.
      const res = await logContact(ours.butler.token, client.id, {
        outcome: 'no_answer',
        summary: '无人接听，下午再打',
        nextFollowUpAt: '2030-01-10T16:00:00+08:00',
      });
      expect(res.status).toBe(201);
      expect(res.body.nextFollowUp).toEqual({ id: expect.any(String), dueAt: '2030-01-10T08:00:00.000Z' });
      const today = await t.as(ours.butler.token).get('/api/v1/follow-ups?due=today&status=open');
      expect(today.status).toBe(200);
      expect(today.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: res.body.nextFollowUp.id, customerId: client.id, butlerId: ours.butler.id }),
        ]),
      );
    });
  });

  describe('surveys only after a real contact (real SMTP server)', () => {
    const assignAndComplete = async (team: Team, customerId: string, outcome: string) => {
      const created = await t.as(team.manager.token).post('/api/v1/follow-ups', {
        customerId,
        butlerId: team.butler.id,
        dueAt: ahead(HOUR),
        kind: 'manual',
      });
      expect(created.status).toBe(201);
      const done = await t
        .as(team.butler.token)
        .post(`/api/v1/follow-ups/${created.body.id}/complete`, { outcome, channel: 'phone' });
      expect(done.status).toBe(200);
      return done.body as { survey: { invited: boolean; reason?: string } };
    };

    it('a follow-up completed with no_answer never sends a survey, and does not touch the client', async () => {
      const team = await freshTeam();
      const client = await newClient(team.butler);
      for (const outcome of ['no_answer', 'left_message', 'declined']) {
        expect((await assignAndComplete(team, client.id, outcome)).survey).toEqual({
          invited: false,
          reason: 'not_reached',
        });
      }
      expect((await logContact(team.butler.token, client.id, { kind: 'visit', outcome: 'no_answer' })).status).toBe(
        201,
      );
      await dispatchAfterDelay();
      // The sender is a worker: give it the time a real mail takes to arrive before saying none did.
      const probe = await newClient(team.butler);
      expect((await logContact(team.butler.token, probe.id, { kind: 'visit' })).body.survey.invited).toBe(true);
      await dispatchAfterDelay();
      await mailTo(probe.email);
      expect(sink.to(client.email)).toEqual([]);
      expect(await written(client.id)).toMatchObject({ invitations: 0, lastTouchAt: null });
    });

    it('a logged visit invites a survey addressed as the greetings do; a call once settings say so', async () => {
      const team = await freshTeam();
      const visited = await newClient(team.butler, { name: '蔡德明', gender: 'male' });
      const visit = await logContact(team.butler.token, visited.id, { kind: 'visit', summary: '到府拜访，试饮新品' });
      expect(visit.body.survey).toEqual({ invited: true, sendAt: expect.any(String) });
      await dispatchAfterDelay();
      const [mail] = await mailTo(visited.email);
      expect(mail.parsed.text).toContain('尊敬的蔡先生，您好');
      expect(mail.parsed.text).toContain('感谢您抽空接待我的拜访');
      expect(mail.parsed.html).toMatch(/<a href="http[^"]+\/s\/[A-Za-z0-9_-]{43}"[^>]*>立即评价<\/a>/);

      const called = await newClient(team.butler);
      expect((await logContact(team.butler.token, called.id)).body.survey).toEqual({
        invited: false,
        reason: 'disabled',
      });
      const patch = await t.as(admin).patch('/api/v1/settings', { surveys: { afterContactKinds: ['call', 'visit'] } });
      expect(patch.status).toBe(200);
      try {
        const other = await newClient(team.butler);
        const call = await logContact(team.butler.token, other.id);
        expect(call.body.survey.invited).toBe(true);
        await dispatchAfterDelay();
        const [callMail] = await mailTo(other.email);
        expect(callMail.parsed.text).toContain('感谢您接听我的电话');
      } finally {
        await t.as(admin).patch('/api/v1/settings', { surveys: { afterContactKinds: ['visit', 'tasting_event'] } });
      }
      expect(sink.to(called.email)).toEqual([]);
    });

    it("an answered survey touches the client; a low score's alert links to the client's page", async () => {
      const team = await freshTeam();
      const client = await newClient(team.butler);
      expect((await logContact(team.butler.token, client.id, { kind: 'visit', occurredAt: ago(DAY) })).status).toBe(
        201,
      );
      await dispatchAfterDelay();
      const [mail] = await mailTo(client.email);
      const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
      const hash = createHash('sha256').update(token).digest();
      await eventually(
        async () =>
          (await t.db.query(`SELECT status FROM survey_invitations WHERE token_hash = $1`, [hash]))[0]?.status,
        (s) => s === 'sent',
      );
      const before = clock.now().getTime() + HOUR;
      clock.travelTo(new Date(before));
      const answer = await request(t.app, 'POST', `/s/${token}`, {
        body: 'csat=1&nps=0&comment=%E4%B8%8D%E6%BB%A1%E6%84%8F',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: `10.9.${randomInt(0, 255)}.${randomInt(1, 254)}`,
      });
      expect(answer.status).toBe(200);
      // Answered now (the Clock), later than the visit a day before.
      const touched = (await written(client.id)).lastTouchAt!.getTime();
      expect(touched).toBeGreaterThanOrEqual(before);
      expect(touched).toBeLessThan(before + 60_000);
      const [alert] = await mailTo(team.manager.email);
      expect(alert.parsed.text).toContain(`/clients/${client.id}`);
      expect(alert.parsed.html).toMatch(new RegExp(`<a href="http[^"]+/clients/${client.id}"[^>]*>查看客户</a>`));
    });
  });

  describe('last touch and silent clients', () => {
    it('a reached contact and a purchase touch the client; no_answer does not', async () => {
      const client = await newClient(ours.butler);
      await logContact(ours.butler.token, client.id, { outcome: 'no_answer', occurredAt: ago(2 * HOUR) });
      expect((await written(client.id)).lastTouchAt).toBeNull();
      const threeDaysAgo = '2030-01-07T02:00:00.000Z';
      await logContact(ours.butler.token, client.id, { occurredAt: threeDaysAgo });
      expect((await written(client.id)).lastTouchAt?.toISOString()).toBe(threeDaysAgo);
      // A contact logged late, older than the last touch, leaves it.
      await logContact(ours.butler.token, client.id, { occurredAt: '2030-01-05T02:00:00.000Z' });
      expect((await written(client.id)).lastTouchAt?.toISOString()).toBe(threeDaysAgo);
      const bought = await t.as(ours.butler.token).post(`/api/v1/customers/${client.id}/purchases`, {
        orderRef: `POS-${randomUUID()}`,
        channel: 'store',
        purchasedAt: '2030-01-10T08:00:00+08:00',
        items: [{ productId, quantity: 1, unitPriceFen: 99900 }],
      });
      expect(bought.status).toBe(201);
      const got = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`);
      expect(got.body.lastTouchAt).toBe('2030-01-10T00:00:00.000Z');
    });

    it('silentDays lists clients not touched for N days; silent=true uses each tier’s limit', async () => {
      const team = await freshTeam();
      const blackTouched40 = await newClient(team.butler, { tier: 'black' });
      const goldTouched40 = await newClient(team.butler, { tier: 'gold' });
      const regularTouched200 = await newClient(team.butler, { tier: 'regular' });
      const recent = await newClient(team.butler, { tier: 'black' });
      // Touch each at a known time: the contact is logged on that day (at most 30 days back).
      const touchAt = async (id: string, daysBefore: number) => {
        clock.travelTo(new Date(T0.getTime() - daysBefore * DAY));
        expect((await logContact(team.butler.token, id, { occurredAt: ago(HOUR) })).status).toBe(201);
      };
      await touchAt(blackTouched40.id, 40);
      await touchAt(goldTouched40.id, 40);
      await touchAt(regularTouched200.id, 200);
      await touchAt(recent.id, 2);
      clock.travelTo(T0);

      const ids = async (query: string) => {
        const res = await t.as(team.butler.token).get(`/api/v1/customers?${query}`);
        expect(res.status).toBe(200);
        return (res.body.items as { id: string; lastTouchAt: string | null }[]).map((c) => c.id).sort();
      };
      expect(await ids('silentDays=30')).toEqual([blackTouched40.id, goldTouched40.id, regularTouched200.id].sort());
      expect(await ids('silentDays=100')).toEqual([regularTouched200.id]);
      // black 30, gold 60, regular 180 by default.
      expect(await ids('silent=true')).toEqual([blackTouched40.id, regularTouched200.id].sort());
      expect(await ids('silent=false')).toEqual([goldTouched40.id, recent.id].sort());

      const patch = await t.as(admin).patch('/api/v1/settings', {
        touch: { maxDaysByTier: { black: 60, gold: 30, silver: 90, regular: 365 } },
      });
      expect(patch.status).toBe(200);
      try {
        expect(await ids('silent=true')).toEqual([goldTouched40.id]);
      } finally {
        await t.as(admin).patch('/api/v1/settings', {
          touch: { maxDaysByTier: { black: 30, gold: 60, silver: 90, regular: 180 } },
        });
      }
      const bad = await t.as(team.butler.token).get('/api/v1/customers?silentDays=0');
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'silentDays', code: 'min' })]);
    });
  });
});
