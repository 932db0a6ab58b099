import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { answerableSurvey, postSurveyForm } from './support/surveys';
import { bootApp, TestApp } from './support/test-app';

describe('follow-ups', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let productId: string;

  const newClient = async () =>
    (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
  const buy = (customerId: string, purchasedAt: string, orderRef = `POS-${randomUUID()}`) =>
    t.as(ours.butler.token).post(`/api/v1/customers/${customerId}/purchases`, {
      orderRef,
      channel: 'store',
      purchasedAt,
      items: [{ productId, quantity: 1, unitPriceFen: 99900 }],
    });
  const followUpsOf = async (customerId: string) =>
    t.db.query(`SELECT kind, title, due_at, butler_id, status FROM follow_ups WHERE customer_id = $1 ORDER BY due_at`, [
      customerId,
    ]);

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    productId = (await createProduct(t, admin)).id;
    // The survey summary is shared with every test file, and some write survey rows directly: repair
    // what they left out of step, so the drift this file checks for is its own.
    expect((await t.as(admin).post('/api/v1/reports/recompute')).status).toBe(200);
  });
  afterEach(() => t.app.get(Clock).reset());
  afterAll(async () => {
    await t.close();
  });

  it('a purchase creates the day-3 and day-30 follow-ups at 10:00 Shanghai, once even if posted twice', async () => {
    const client = await newClient();
    t.app.get(Clock).travelTo(new Date('2026-11-02T09:00:00+08:00'));
    // 23:30 in Shanghai on 1 November is still 1 November there (15:30 UTC).
    const orderRef = `POS-${randomUUID()}`;
    expect((await buy(client.id, '2026-11-01T23:30:00+08:00', orderRef)).status).toBe(201);
    expect((await buy(client.id, '2026-11-01T23:30:00+08:00', orderRef)).status).toBe(200);
    const rows = await followUpsOf(client.id);
    expect(rows.map((r: { title: string; due_at: Date }) => [r.title, r.due_at.toISOString()])).toEqual([
      ['到货与开瓶体验', '2026-11-04T02:00:00.000Z'],
      ['口感回访', '2026-12-01T02:00:00.000Z'],
    ]);
    expect(
      rows.every(
        (r: { kind: string; butler_id: string; status: string }) =>
          r.kind === 'post_purchase' && r.butler_id === ours.butler.id && r.status === 'open',
      ),
    ).toBe(true);
  });

  it('does not create follow-ups already long overdue for a purchase recorded late', async () => {
    const client = await newClient();
    t.app.get(Clock).travelTo(new Date('2026-11-20T10:00:00+08:00'));
    await buy(client.id, '2025-01-01T10:00:00+08:00');
    expect(await followUpsOf(client.id)).toEqual([]);
  });

  it('follows the cadence an admin sets', async () => {
    const patch = await t.as(admin).patch('/api/v1/settings', {
      followUps: { cadence: [{ days: 7, title: '一周回访' }], dueHour: 15, skipOverdueAfterDays: 7 },
    });
    expect(patch.status).toBe(200);
    try {
      const client = await newClient();
      t.app.get(Clock).travelTo(new Date('2026-11-20T10:00:00+08:00'));
      await buy(client.id, '2026-11-20T09:00:00+08:00');
      const rows = await followUpsOf(client.id);
      expect(rows.map((r: { title: string; due_at: Date }) => [r.title, r.due_at.toISOString()])).toEqual([
        ['一周回访', '2026-11-27T07:00:00.000Z'],
      ]);
    } finally {
      await t.as(admin).patch('/api/v1/settings', {
        followUps: {
          cadence: [
            { days: 3, title: '到货与开瓶体验' },
            { days: 30, title: '口感回访' },
          ],
          dueHour: 10,
          skipOverdueAfterDays: 7,
        },
      });
    }
    const bad = await t
      .as(admin)
      .patch('/api/v1/settings', { followUps: { cadence: [{ days: 0, title: '' }], dueHour: 25 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toMatch(/followUps\.cadence\.0\.days.*|followUps.dueHour/);
    expect(
      (
        await t
          .as(ours.manager.token)
          .patch('/api/v1/settings', { followUps: { cadence: [], dueHour: 9, skipOverdueAfterDays: 1 } })
      ).status,
    ).toBe(403);
  });

  it('shows a butler today and overdue follow-ups, by the injectable clock', async () => {
    const client = await newClient();
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-11-20T12:30:00+08:00'));
    await buy(client.id, '2026-11-20T12:00:00+08:00');
    clock.travelTo(new Date('2026-11-23T08:00:00+08:00'));
    const today = await t.as(ours.butler.token).get(`/api/v1/follow-ups?status=open&due=today&customerId=${client.id}`);
    expect(today.body.items.map((f: { title: string; overdue: boolean }) => [f.title, f.overdue])).toEqual([
      ['到货与开瓶体验', false],
    ]);
    clock.travelTo(new Date('2026-11-24T09:00:00+08:00'));
    const overdue = await t.as(ours.butler.token).get(`/api/v1/follow-ups?due=overdue&customerId=${client.id}`);
    expect(overdue.body.items).toHaveLength(1);
    expect(overdue.body.items[0]).toMatchObject({ title: '到货与开瓶体验', overdue: true, customerName: '王建国' });
    expect((await t.as(ours.colleague.token).get(`/api/v1/follow-ups?customerId=${client.id}`)).body.items).toEqual([]);
  });

  it("lets a manager plan a follow-up for the client's butler, and move it only with the client", async () => {
    const client = await newClient();
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-11-20T09:00:00+08:00'));
    const created = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      dueAt: '2026-11-25T10:00:00+08:00',
      kind: 'manual',
      note: '请确认春节用酒',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      butlerId: ours.butler.id,
      kind: 'manual',
      assignedBy: ours.manager.id,
      status: 'open',
      customerName: '王建国',
      // The Clock's day, not PostgreSQL's.
      createdAt: expect.stringMatching(/^2026-11-20T01:00:00/),
    });
    expect(created.body.customerMobile).toMatch(/^1\d{10}$/);
    const fingerprint = async () =>
      t.db.query(`SELECT id, butler_id, due_at FROM follow_ups WHERE customer_id = $1 ORDER BY id`, [client.id]);
    const before = await fingerprint();

    // Another butler of the team without the client: refused, naming butlerId.
    const colleague = await t
      .as(ours.manager.token)
      .patch(`/api/v1/follow-ups/${created.body.id}`, { butlerId: ours.colleague.id });
    expect(colleague.status).toBe(409);
    expect(colleague.body).toMatchObject({
      code: 'FOLLOW_UP_BUTLER_NOT_CLIENTS',
      field: 'butlerId',
      clientButlerId: ours.butler.id,
    });
    const createForColleague = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.colleague.id,
      dueAt: '2026-11-25T10:00:00+08:00',
    });
    expect(createForColleague.status).toBe(409);
    expect(await fingerprint()).toEqual(before);
    const outside = await t
      .as(ours.manager.token)
      .patch(`/api/v1/follow-ups/${created.body.id}`, { butlerId: theirs.butler.id, handOverClient: true });
    expect(outside.status).toBe(400);
    expect(await fingerprint()).toEqual(before);

    // Handing it over with the client: both move, and the colleague can open the client.
    const moved = await t.as(ours.manager.token).patch(`/api/v1/follow-ups/${created.body.id}`, {
      butlerId: ours.colleague.id,
      handOverClient: true,
      dueAt: '2026-11-26T15:00:00+08:00',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ butlerId: ours.colleague.id, dueAt: '2026-11-26T07:00:00.000Z' });
    const [owner] = await t.db.query('SELECT butler_id FROM customers WHERE id = $1', [client.id]);
    expect(owner.butler_id).toBe(ours.colleague.id);
    expect((await t.as(ours.colleague.token).get(`/api/v1/customers/${client.id}`)).status).toBe(200);
    expect((await t.as(ours.colleague.token).get(`/api/v1/follow-ups/${created.body.id}`)).status).toBe(200);
    expect((await t.as(ours.butler.token).get(`/api/v1/follow-ups/${created.body.id}`)).status).toBe(404);

    expect(
      (
        await t
          .as(theirs.manager.token)
          .patch(`/api/v1/follow-ups/${created.body.id}`, { dueAt: '2026-12-01T10:00:00+08:00' })
      ).status,
    ).toBe(404);
    const forOtherTeamClient = await t.as(theirs.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: theirs.butler.id,
      dueAt: '2026-11-25T10:00:00+08:00',
    });
    expect(forOtherTeamClient.status).toBe(404);
    const [row] = await t.db.query('SELECT butler_id FROM follow_ups WHERE id = $1', [created.body.id]);
    expect(row.butler_id).toBe(ours.colleague.id);
  });

  it('lets a butler plan and reschedule their own follow-ups, never for or to another butler', async () => {
    const client = await newClient();
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-11-20T09:00:00+08:00'));
    const count = async () =>
      Number((await t.db.query(`SELECT count(*) FROM follow_ups WHERE customer_id = $1`, [client.id]))[0].count);

    const own = await t.as(ours.butler.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      dueAt: '2026-11-22T10:00:00+08:00',
      title: '确认年会用酒',
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({
      butlerId: ours.butler.id,
      assignedBy: ours.butler.id,
      kind: 'manual',
      title: '确认年会用酒',
      createdAt: expect.stringMatching(/^2026-11-20T01:00:00/),
    });
    // Naming themselves is the same; naming a colleague is refused with nothing written.
    const self = await t.as(ours.butler.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.butler.id,
      dueAt: '2026-11-23T10:00:00+08:00',
    });
    expect(self.status).toBe(201);
    expect(await count()).toBe(2);
    const forColleague = await t.as(ours.butler.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.colleague.id,
      dueAt: '2026-11-23T10:00:00+08:00',
    });
    expect(forColleague.status).toBe(403);
    expect(forColleague.body.code).toBe('FOLLOW_UP_BUTLER_FORBIDDEN');
    // Another butler's client, in the team or not: 404, nothing written.
    for (const other of [ours.colleague, theirs.butler]) {
      const res = await t.as(other.token).post('/api/v1/follow-ups', {
        customerId: client.id,
        dueAt: '2026-11-23T10:00:00+08:00',
      });
      expect(res.status).toBe(404);
    }
    expect(await count()).toBe(2);

    const rescheduled = await t.as(ours.butler.token).patch(`/api/v1/follow-ups/${own.body.id}`, {
      dueAt: '2026-11-24T15:00:00+08:00',
      note: '客户出差，周二再打',
    });
    expect(rescheduled.status).toBe(200);
    expect(rescheduled.body).toMatchObject({ dueAt: '2026-11-24T07:00:00.000Z', note: '客户出差，周二再打' });
    // A field given as null is refused by name (they are never empty), before anything is written.
    for (const field of ['title', 'note', 'dueAt', 'butlerId']) {
      const nulled = await t.as(ours.butler.token).patch(`/api/v1/follow-ups/${own.body.id}`, { [field]: null });
      expect(nulled.status).toBe(400);
      expect(nulled.body.code).toBe('VALIDATION_FAILED');
      expect(nulled.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    const reassign = await t
      .as(ours.butler.token)
      .patch(`/api/v1/follow-ups/${own.body.id}`, { butlerId: ours.colleague.id, handOverClient: true });
    expect(reassign.status).toBe(403);
    expect(
      (
        await t
          .as(ours.colleague.token)
          .patch(`/api/v1/follow-ups/${own.body.id}`, { dueAt: '2026-11-25T10:00:00+08:00' })
      ).status,
    ).toBe(404);
    const [row] = await t.db.query('SELECT butler_id, due_at FROM follow_ups WHERE id = $1', [own.body.id]);
    expect(row).toEqual({ butler_id: ours.butler.id, due_at: new Date('2026-11-24T07:00:00.000Z') });
    const [owner] = await t.db.query('SELECT butler_id FROM customers WHERE id = $1', [client.id]);
    expect(owner.butler_id).toBe(ours.butler.id);
  });

  it('no answer keeps the follow-up open with the new time, logs the attempt and invites no survey', async () => {
    const client = await newClient();
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-11-20T09:00:00+08:00'));
    const own = await t
      .as(ours.butler.token)
      .post('/api/v1/follow-ups', { customerId: client.id, dueAt: '2026-11-20T10:00:00+08:00' });
    clock.travelTo(new Date('2026-11-20T10:05:00+08:00'));
    const complete = (body: Record<string, unknown>) =>
      t.as(ours.butler.token).post(`/api/v1/follow-ups/${own.body.id}/complete`, body);

    // 改约 only after no answer or a message left, and only to a later time.
    const withReached = await complete({
      outcome: 'reached',
      channel: 'phone',
      rescheduleTo: '2026-11-21T10:00:00+08:00',
    });
    expect(withReached.status).toBe(400);
    expect(withReached.body.fields).toEqual([{ field: 'rescheduleTo', code: 'onlyWhenNotReached', params: {} }]);
    const past = await complete({ outcome: 'no_answer', channel: 'phone', rescheduleTo: '2026-11-20T09:00:00+08:00' });
    expect(past.status).toBe(400);
    expect(past.body.fields[0]).toMatchObject({ field: 'rescheduleTo', code: 'notInPast' });
    const interactions = () =>
      t.db.query(`SELECT outcome, follow_up_id FROM interactions WHERE customer_id = $1 ORDER BY occurred_at`, [
        client.id,
      ]);
    expect(await interactions()).toEqual([]);

    const missed = await complete({
      outcome: 'no_answer',
      channel: 'phone',
      rescheduleTo: '2026-11-21T10:00:00+08:00',
    });
    expect(missed.status).toBe(200);
    expect(missed.body).toMatchObject({
      status: 'open',
      dueAt: '2026-11-21T02:00:00.000Z',
      completedAt: null,
      survey: { invited: false, reason: 'not_reached' },
    });
    const left = await complete({ outcome: 'left_message', channel: 'wechat' });
    expect(left.body).toMatchObject({ status: 'open', dueAt: '2026-11-21T02:00:00.000Z' });
    expect(await interactions()).toEqual([
      { outcome: 'no_answer', follow_up_id: own.body.id },
      { outcome: 'left_message', follow_up_id: own.body.id },
    ]);
    const open = await t.as(ours.butler.token).get(`/api/v1/follow-ups?status=open&customerId=${client.id}`);
    expect(open.body.items.map((f: { id: string }) => f.id)).toEqual([own.body.id]);

    // The butler gives up: closed with that outcome.
    const closed = await complete({ outcome: 'no_answer', channel: 'phone', close: true });
    expect(closed.body).toMatchObject({ status: 'done', outcome: 'no_answer', survey: { invited: false } });
    const invitations = await t.db.query(`SELECT id FROM survey_invitations WHERE customer_id = $1`, [client.id]);
    expect(invitations).toEqual([]);
  });

  it("shows the manager a low score's recovery task, due tomorrow, with the score and the phone", async () => {
    const client = await newClient();
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-11-20T15:00:00+08:00'));
    expect((await buy(client.id, '2026-11-19T12:00:00+08:00')).status).toBe(201);
    // A reached call invites a survey; its link is made sendable here (the survey tests cover mail).
    const planned = await t
      .as(ours.butler.token)
      .post('/api/v1/follow-ups', { customerId: client.id, dueAt: '2026-11-20T16:00:00+08:00' });
    const done = await t
      .as(ours.butler.token)
      .post(`/api/v1/follow-ups/${planned.body.id}/complete`, { outcome: 'reached', channel: 'phone' });
    expect(done.body.survey).toMatchObject({ invited: true });
    const token = await answerableSurvey(t, client.id, clock.now(), { expiresAt: new Date('2026-12-20T00:00:00Z') });
    const answered = await postSurveyForm(t, token, `csat=2&nps=3&comment=${encodeURIComponent('酒送晚了')}`);
    expect(answered.status).toBe(200);
    // The shortcut skipped the sender's count of sent invitations: the recompute adds it back, so
    // the summary stays exact for the tests after this one.
    expect((await t.as(admin).post('/api/v1/reports/recompute')).body).toMatchObject({ driftedRows: 1 });

    // Due tomorrow afternoon: neither "today" nor "overdue", so it is listed by kind.
    const today = await t.as(ours.manager.token).get('/api/v1/follow-ups?status=open&due=today&limit=100');
    expect(today.body.items.some((f: { customerId: string }) => f.customerId === client.id)).toBe(false);
    const recovery = await t.as(ours.manager.token).get('/api/v1/follow-ups?status=open&kind=recovery&limit=100');
    const task = recovery.body.items.find((f: { customerId: string }) => f.customerId === client.id);
    expect(task).toMatchObject({
      kind: 'recovery',
      butlerId: ours.manager.id,
      dueAt: expect.stringMatching(/^2026-11-21T07:00:00/),
      customerName: '王建国',
      recoveryScore: { csat: 2, nps: 3, comment: '酒送晚了' },
    });
    expect(task.customerMobile).toMatch(/^1\d{10}$/);
    expect(task.createdAt).toMatch(/^2026-11-20T07:00:00/);
    // The low score put the client on the churn list, with what they have spent (累计消费).
    const churn = await t.as(ours.manager.token).get('/api/v1/reports/churn?limit=100');
    expect(churn.body.items.find((c: { customerId: string }) => c.customerId === client.id)).toMatchObject({
      butlerId: ours.butler.id,
      totalSpentFen: 99900,
    });
    // Nobody outside the team sees it; the butler does not get the manager's task.
    for (const other of [theirs.manager, ours.butler]) {
      const list = await t.as(other.token).get('/api/v1/follow-ups?kind=recovery&limit=100');
      expect(list.body.items.some((f: { customerId: string }) => f.customerId === client.id)).toBe(false);
    }
  });

  it('completing logs an interaction on the timeline, once', async () => {
    const client = await newClient();
    t.app.get(Clock).travelTo(new Date('2026-11-20T12:30:00+08:00'));
    await buy(client.id, '2026-11-20T12:00:00+08:00');
    const [first] = (await t.as(ours.butler.token).get(`/api/v1/follow-ups?customerId=${client.id}`)).body.items;
    const bad = await t
      .as(ours.butler.token)
      .post(`/api/v1/follow-ups/${first.id}/complete`, { outcome: 'great', channel: 'pigeon' });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toMatch(/outcome.*channel|channel.*outcome/);
    expect(
      (
        await t
          .as(ours.colleague.token)
          .post(`/api/v1/follow-ups/${first.id}/complete`, { outcome: 'reached', channel: 'phone' })
      ).status,
    ).toBe(404);

    const done = await t.as(ours.butler.token).post(`/api/v1/follow-ups/${first.id}/complete`, {
      outcome: 'reached',
      channel: 'phone',
      note: '已开瓶, 很满意',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'reached' });
    expect(done.body.interactionId).toBeTruthy();
    const again = await t
      .as(ours.butler.token)
      .post(`/api/v1/follow-ups/${first.id}/complete`, { outcome: 'reached', channel: 'phone' });
    expect(again.status).toBe(409);

    const interactions = await t.db.query(
      'SELECT kind, butler_id, channel, summary FROM interactions WHERE customer_id = $1',
      [client.id],
    );
    expect(interactions).toEqual([
      { kind: 'follow_up', butler_id: ours.butler.id, channel: 'phone', summary: '到货与开瓶体验：已开瓶, 很满意' },
    ]);
    const timeline = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/timeline`);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toContain('interaction');
  });

  it('deleting a client cancels its open follow-ups, and the reports leave that client out', async () => {
    const butler = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id });
    const client = (await t.as(butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
    const leaving = (await t.as(butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
    const gone = (await t.as(butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
    const assign = async (customerId: string, dueAt: string) => {
      const res = await t
        .as(ours.manager.token)
        .post('/api/v1/follow-ups', { customerId, butlerId: butler.id, dueAt, kind: 'manual' });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const clock = t.app.get(Clock);
    clock.travelTo(new Date('2026-10-01T09:00:00+08:00'));
    const kept = await assign(client.id, '2026-10-05T10:00:00+08:00');
    const overdue = await assign(leaving.id, '2026-10-06T10:00:00+08:00');
    const upcoming = await assign(leaving.id, '2026-11-20T10:00:00+08:00');
    const doneBefore = await assign(leaving.id, '2026-10-04T10:00:00+08:00');
    await assign(gone.id, '2026-10-07T10:00:00+08:00');
    clock.travelTo(new Date('2026-10-04T09:00:00+08:00'));
    expect(
      (
        await t
          .as(butler.token)
          .post(`/api/v1/follow-ups/${kept.id}/complete`, { outcome: 'reached', channel: 'phone' })
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .as(butler.token)
          .post(`/api/v1/follow-ups/${doneBefore.id}/complete`, { outcome: 'reached', channel: 'phone' })
      ).status,
    ).toBe(200);
    clock.travelTo(new Date('2026-10-10T09:00:00+08:00'));
    // A client deleted before open follow-ups were cancelled on delete: the reports skip it too.
    await t.db.query(`UPDATE customers SET deleted_at = now() WHERE id = $1`, [gone.id]);
    const report = async () =>
      (await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2026-10-01&to=2026-10-31')).body.items.find(
        (i: { butlerId: string }) => i.butlerId === butler.id,
      );

    expect((await t.as(butler.token).delete(`/api/v1/customers/${leaving.id}`)).status).toBe(204);
    const rows = await t.db.query(`SELECT id, status, outcome FROM follow_ups WHERE customer_id = $1`, [leaving.id]);
    const byId = new Map(rows.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(overdue.id)).toMatchObject({ status: 'cancelled', outcome: 'client_deleted' });
    expect(byId.get(upcoming.id)).toMatchObject({ status: 'cancelled', outcome: 'client_deleted' });
    expect(byId.get(doneBefore.id)).toMatchObject({ status: 'done', outcome: 'reached' });
    const [kept2] = await t.db.query(`SELECT status FROM follow_ups WHERE id = $1`, [kept.id]);
    expect(kept2.status).toBe('done');
    // Only the client still there counts: one follow-up, done on time, nothing overdue.
    expect(await report()).toMatchObject({ followUpsOnTimePercent: 100, overdueFollowUps: 0 });
    const trend = await t
      .as(ours.manager.token)
      .get(`/api/v1/reports/butlers/${butler.id}/trend?interval=month&from=2026-10-01&to=2026-10-31`);
    expect(trend.body.items.find((i: { period: string }) => i.period === '2026-10-01')).toMatchObject({
      followUpsOnTimePercent: 100,
    });
    const audit = await t.db.query(
      `SELECT action FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1 ORDER BY created_at`,
      [leaving.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['create', 'delete']);
    // The survey summary is untouched by a delete: a recompute finds nothing to correct.
    const recompute = await t.as(admin).post('/api/v1/reports/recompute');
    expect(recompute.body).toMatchObject({ driftedRows: 0 });
  });
});

describe('festivals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists a year of festivals with computed lunar dates', async () => {
    const token = await t.adminToken();
    const res = await t.as(token).get('/api/v1/festivals?year=2027');
    expect(res.status).toBe(200);
    expect(res.body.year).toBe(2027);
    expect(res.body.items).toContainEqual({ key: 'mid_autumn', name: '中秋节', date: '2027-09-15', calendar: 'lunar' });
    expect(res.body.items).toHaveLength(8);
    expect((await t.as(token).get('/api/v1/festivals?year=abc')).status).toBe(400);
  });
});
