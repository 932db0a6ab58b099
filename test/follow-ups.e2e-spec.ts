import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { createProduct, customerBody, Team, twoTeams } from './support/factories';
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

  it('lets a manager assign, reassign and reschedule within the team only', async () => {
    const client = await newClient();
    const created = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: ours.colleague.id,
      dueAt: '2026-11-25T10:00:00+08:00',
      kind: 'manual',
      note: '请确认春节用酒',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      butlerId: ours.colleague.id,
      kind: 'manual',
      assignedBy: ours.manager.id,
      status: 'open',
    });
    expect((await t.as(ours.colleague.token).get(`/api/v1/follow-ups/${created.body.id}`)).status).toBe(200);

    const moved = await t
      .as(ours.manager.token)
      .patch(`/api/v1/follow-ups/${created.body.id}`, { butlerId: ours.butler.id, dueAt: '2026-11-26T15:00:00+08:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ butlerId: ours.butler.id, dueAt: '2026-11-26T07:00:00.000Z' });
    expect((await t.as(ours.colleague.token).get(`/api/v1/follow-ups/${created.body.id}`)).status).toBe(404);

    const outside = await t
      .as(ours.manager.token)
      .patch(`/api/v1/follow-ups/${created.body.id}`, { butlerId: theirs.butler.id });
    expect(outside.status).toBe(400);
    expect(
      (
        await t
          .as(theirs.manager.token)
          .patch(`/api/v1/follow-ups/${created.body.id}`, { dueAt: '2026-12-01T10:00:00+08:00' })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.as(ours.butler.token).post('/api/v1/follow-ups', {
          customerId: client.id,
          butlerId: ours.butler.id,
          dueAt: '2026-11-25T10:00:00+08:00',
        })
      ).status,
    ).toBe(403);
    const forOtherTeamClient = await t.as(theirs.manager.token).post('/api/v1/follow-ups', {
      customerId: client.id,
      butlerId: theirs.butler.id,
      dueAt: '2026-11-25T10:00:00+08:00',
    });
    expect(forOtherTeamClient.status).toBe(404);
    const [row] = await t.db.query('SELECT butler_id, due_at FROM follow_ups WHERE id = $1', [created.body.id]);
    expect(row.butler_id).toBe(ours.butler.id);
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
