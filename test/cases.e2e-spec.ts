import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

const HOUR = 3_600_000;

describe('after-sales cases', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let productId: string;
  let clock: Clock;

  const newClient = async (token = ours.butler.token) =>
    (await t.as(token).post('/api/v1/customers', customerBody())).body as { id: string };
  const buy = async (customerId: string) =>
    (
      await t.as(ours.butler.token).post(`/api/v1/customers/${customerId}/purchases`, {
        orderRef: `POS-${randomUUID()}`,
        channel: 'store',
        purchasedAt: '2026-11-01T10:00:00+08:00',
        items: [{ productId, quantity: 1, unitPriceFen: 99900 }],
      })
    ).body as { id: string };
  const openCase = async (customerId: string, body: Record<string, unknown> = {}) => {
    const res = await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId,
      type: 'quality',
      priority: 'high',
      channel: 'phone',
      summary: '封口渗漏',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string };
  };
  const caseRow = async (id: string) => (await t.db.query(`SELECT * FROM cases WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    productId = (await createProduct(t, admin)).id;
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
  });

  it(
    'opens a case for a purchase of the same client, ' + 'and refuses another client’s purchase naming purchaseId',
    async () => {
      const client = await newClient();
      const purchase = await buy(client.id);
      const created = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: client.id,
        purchaseId: purchase.id,
        type: 'quality',
        priority: 'high',
        channel: 'phone',
        summary: '封口渗漏',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        customerId: client.id,
        purchaseId: purchase.id,
        butlerId: ours.butler.id,
        status: 'open',
        allowedTransitions: ['in_progress'],
        firstResponseAt: null,
        notes: [],
      });

      const other = await newClient();
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM cases`))[0].n;
      const wrong = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: other.id,
        purchaseId: purchase.id,
        type: 'return',
        channel: 'store',
        summary: '退货',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toEqual(["purchaseId must be one of this client's purchases"]);
      const invalid = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: other.id,
        type: 'broken',
        priority: 'asap',
        channel: 'pigeon',
        summary: '   ',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.message.join(' ')).toMatch(
        /type must be one of.*priority must be one of.*channel must be one of.*summary must be longer/,
      );
      expect((await t.db.query(`SELECT count(*)::int AS n FROM cases`))[0].n).toBe(before);
    },
  );

  it(
    'walks open → in_progress → resolved → closed with SLA times, ' + '409 naming the allowed moves otherwise',
    async () => {
      const client = await newClient();
      const opened = new Date('2026-11-20T09:00:00+08:00');
      clock.travelTo(opened);
      const kase = await openCase(client.id);

      const skip = await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'resolved' });
      expect(skip.status).toBe(409);
      expect(skip.body.message).toBe('A case cannot move from open to resolved; allowed: in_progress');

      clock.travelTo(new Date(opened.getTime() + 2 * HOUR));
      const note = await t
        .as(ours.butler.token)
        .post(`/api/v1/cases/${kase.id}/notes`, { body: '已联系客户，安排上门取件' });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ body: '已联系客户，安排上门取件', authorId: ours.butler.id });
      // The travelled clock keeps ticking: within a second of 2 hours after opening.
      expect(
        Math.abs((await caseRow(kase.id)).first_response_at.getTime() - (opened.getTime() + 2 * HOUR)),
      ).toBeLessThan(1000);

      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'in_progress' })).status,
      ).toBe(200);
      clock.travelTo(new Date(opened.getTime() + 30 * HOUR));
      const resolved = await t
        .as(ours.butler.token)
        .post(`/api/v1/cases/${kase.id}/transition`, { to: 'resolved', note: '已换新' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        firstResponseHours: 2,
        resolutionHours: 30,
        allowedTransitions: ['closed', 'in_progress'],
      });
      expect(resolved.body.survey).toMatchObject({ invited: true });

      // Resolving logged the contact as the butler's after-sales interaction, with its survey.
      const [interaction] = await t.db.query(`SELECT kind, butler_id, summary FROM interactions WHERE case_id = $1`, [
        kase.id,
      ]);
      expect(interaction).toMatchObject({ kind: 'after_sales', butler_id: ours.butler.id });
      expect(interaction.summary).toContain('已换新');
      const [invitation] = await t.db.query(
        `SELECT source, butler_id, status FROM survey_invitations WHERE customer_id = $1`,
        [client.id],
      );
      expect(invitation).toEqual({ source: 'case', butler_id: ours.butler.id, status: 'scheduled' });

      // Reopen, resolve again, close; then nothing moves.
      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'in_progress' })).body,
      ).toMatchObject({ status: 'in_progress', resolvedAt: null });
      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'resolved' })).body.survey,
      ).toEqual({ invited: false, reason: 'cooldown' });
      const closed = await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'closed' });
      expect(closed.body).toMatchObject({ status: 'closed', allowedTransitions: [] });
      expect(closed.body.closedAt).not.toBeNull();
      const after = await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'in_progress' });
      expect(after.status).toBe(409);
      expect(after.body.message).toContain('allowed: none (the case is closed)');
      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${kase.id}/transition`, { to: 'archived' })).status,
      ).toBe(400);

      const detail = await t.as(ours.butler.token).get(`/api/v1/cases/${kase.id}`);
      expect(detail.body.notes.map((n: { transition: string | null }) => n.transition)).toEqual([
        null,
        'open→in_progress',
        'in_progress→resolved',
        'resolved→in_progress',
        'in_progress→resolved',
        'resolved→closed',
      ]);
      const timeline = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/timeline`);
      expect(timeline.body.items.some((e: { type: string; id: string }) => e.type === 'case' && e.id === kase.id)).toBe(
        true,
      );
      const audit = await t.db.query(
        `SELECT action FROM audit_log WHERE entity_type = 'case' AND entity_id = $1 ORDER BY created_at`,
        [kase.id],
      );
      expect(audit.map((a: { action: string }) => a.action)).toEqual([
        'create',
        'update',
        'update',
        'update',
        'update',
        'update',
      ]);

      // The medians show on the butler report for that period.
      const report = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2026-11-20&to=2026-11-20');
      const mine = report.body.items.find((i: { butlerId: string }) => i.butlerId === ours.butler.id);
      expect(mine).toMatchObject({ medianFirstResponseHours: 2 });
    },
  );

  it('lets a manager hand a case to a butler of their team, never a butler', async () => {
    const client = await newClient();
    const kase = await openCase(client.id);
    const byButler = await t.as(ours.butler.token).patch(`/api/v1/cases/${kase.id}`, { butlerId: ours.colleague.id });
    expect(byButler.status).toBe(403);
    expect(
      (await t.as(ours.manager.token).patch(`/api/v1/cases/${kase.id}`, { butlerId: theirs.butler.id })).status,
    ).toBe(400);
    expect((await caseRow(kase.id)).butler_id).toBe(ours.butler.id);
    const moved = await t
      .as(ours.manager.token)
      .patch(`/api/v1/cases/${kase.id}`, { butlerId: ours.colleague.id, priority: 'urgent' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ butlerId: ours.colleague.id, priority: 'urgent' });
    const [audit] = await t.db.query(
      `SELECT action, changes FROM audit_log WHERE entity_type = 'case' AND entity_id = $1 AND action = 'assign'`,
      [kase.id],
    );
    expect(audit.changes.butlerId).toEqual({ from: ours.butler.id, to: ours.colleague.id });
    expect((await t.as(ours.butler.token).patch(`/api/v1/cases/${kase.id}`, { mood: 'angry' })).status).toBe(400);
  });

  it(
    'moves open cases with their client on assign and bulk assign, ' + 'so the butler who resolves is the one credited',
    async () => {
      const client = await newClient();
      const open = await openCase(client.id);
      const working = await openCase(client.id, { type: 'delivery' });
      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${working.id}/transition`, { to: 'in_progress' })).status,
      ).toBe(200);
      const resolved = await openCase(client.id, { type: 'inquiry' });
      await t.as(ours.butler.token).post(`/api/v1/cases/${resolved.id}/transition`, { to: 'in_progress' });
      expect(
        (await t.as(ours.butler.token).post(`/api/v1/cases/${resolved.id}/transition`, { to: 'resolved' })).status,
      ).toBe(200);

      expect(
        (await t.as(ours.manager.token).post(`/api/v1/customers/${client.id}/assign`, { butlerId: ours.colleague.id }))
          .status,
      ).toBe(200);
      expect((await caseRow(open.id)).butler_id).toBe(ours.colleague.id);
      expect((await caseRow(working.id)).butler_id).toBe(ours.colleague.id);
      // A resolved case keeps the butler who resolved it (its survey is theirs).
      expect((await caseRow(resolved.id)).butler_id).toBe(ours.butler.id);
      const mine = await t
        .as(ours.colleague.token)
        .get(`/api/v1/cases?customerId=${client.id}&butlerId=${ours.colleague.id}`);
      expect(mine.body.items.map((c: { id: string }) => c.id).sort()).toEqual([open.id, working.id].sort());
      const [handOver] = await t.db.query(
        `SELECT actor_id, changes FROM audit_log WHERE entity_type = 'case' AND entity_id = $1 AND action = 'assign'`,
        [open.id],
      );
      expect(handOver).toMatchObject({
        actor_id: ours.manager.id,
        changes: { butlerId: { from: ours.butler.id, to: ours.colleague.id } },
      });

      // The new butler resolves: the interaction and the survey are theirs.
      await t
        .as(ours.colleague.token)
        .post(`/api/v1/cases/${working.id}/transition`, { to: 'resolved', note: '已补发' });
      const [interaction] = await t.db.query(`SELECT butler_id FROM interactions WHERE case_id = $1`, [working.id]);
      expect(interaction.butler_id).toBe(ours.colleague.id);
      const invitations = await t.db.query(
        `SELECT butler_id FROM survey_invitations
        WHERE interaction_id IN (SELECT id FROM interactions WHERE case_id = $1)`,
        [working.id],
      );
      expect(invitations.every((i: { butler_id: string }) => i.butler_id === ours.colleague.id)).toBe(true);

      // Bulk assign moves them back the same way.
      const bulk = await t
        .as(ours.manager.token)
        .post('/api/v1/customers/bulk-assign', { customerIds: [client.id], butlerId: ours.butler.id });
      expect(bulk.status).toBe(200);
      expect((await caseRow(open.id)).butler_id).toBe(ours.butler.id);
      expect((await caseRow(working.id)).butler_id).toBe(ours.colleague.id);
      expect((await caseRow(resolved.id)).butler_id).toBe(ours.butler.id);
      const moves = await t.db.query(
        `SELECT changes FROM audit_log
        WHERE entity_type = 'case' AND entity_id = $1 AND action = 'assign' ORDER BY created_at`,
        [open.id],
      );
      expect(moves.map((m: { changes: { butlerId: { to: string } } }) => m.changes.butlerId.to)).toEqual([
        ours.colleague.id,
        ours.butler.id,
      ]);
    },
  );

  it('deleting a client closes its cases not yet closed, each with a note saying why, and surveys no one', async () => {
    const client = await newClient();
    const open = await openCase(client.id);
    const working = await openCase(client.id);
    expect(
      (await t.as(ours.butler.token).post(`/api/v1/cases/${working.id}/transition`, { to: 'in_progress' })).status,
    ).toBe(200);
    const done = await openCase(client.id);
    for (const to of ['in_progress', 'resolved', 'closed'])
      expect((await t.as(ours.butler.token).post(`/api/v1/cases/${done.id}/transition`, { to })).status).toBe(200);
    const closedBefore = (await caseRow(done.id)).closed_at as Date;
    const invitationsBefore = (
      await t.db.query(`SELECT count(*)::int AS n FROM survey_invitations WHERE customer_id = $1`, [client.id])
    )[0].n;

    expect((await t.as(ours.manager.token).delete(`/api/v1/customers/${client.id}`)).status).toBe(204);
    for (const [id, was] of [
      [open.id, 'open'],
      [working.id, 'in_progress'],
    ]) {
      const row = await caseRow(id);
      expect(row.status).toBe('closed');
      expect(row.closed_at).not.toBeNull();
      const [note] = await t.db.query(
        `SELECT body, transition, author_id FROM case_notes WHERE case_id = $1 AND transition LIKE '%closed'`,
        [id],
      );
      expect(note).toEqual({
        body: '客户已删除，工单随之关闭',
        transition: `${was}→closed`,
        author_id: ours.manager.id,
      });
      // In the audit log as a status change, as the case's own transition route records it.
      const audit = await t.db.query(
        `SELECT actor_id, action, changes FROM audit_log
          WHERE entity_type = 'case' AND entity_id = $1 AND changes->>'reason' = 'client deleted'`,
        [id],
      );
      expect(audit).toEqual([
        {
          actor_id: ours.manager.id,
          action: 'update',
          changes: { status: { from: was, to: 'closed' }, reason: 'client deleted' },
        },
      ]);
    }
    // The one closed before keeps its own history.
    expect((await caseRow(done.id)).closed_at).toEqual(closedBefore);
    expect(
      (
        await t.db.query(
          `SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1 AND body = '客户已删除，工单随之关闭'`,
          [done.id],
        )
      )[0].n,
    ).toBe(0);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM survey_invitations WHERE customer_id = $1`, [client.id]))[0].n,
    ).toBe(invitationsBefore);
  });

  it('lists cases in scope with filters and cursor pagination', async () => {
    const client = await newClient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.travelTo(new Date(Date.UTC(2026, 10, 10 + i)));
      ids.push((await openCase(client.id, { type: i === 0 ? 'delivery' : 'inquiry' })).id);
    }
    const first = await t.as(ours.butler.token).get(`/api/v1/cases?customerId=${client.id}&limit=2`);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await t
      .as(ours.butler.token)
      .get(`/api/v1/cases?customerId=${client.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ id: ids[0], customerName: '王建国' })],
      nextCursor: null,
    });
    expect(
      (await t.as(ours.manager.token).get(`/api/v1/cases?customerId=${client.id}&type=delivery`)).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([ids[0]]);
    expect((await t.as(theirs.manager.token).get(`/api/v1/cases?customerId=${client.id}`)).body.items).toEqual([]);
    expect((await t.as(ours.colleague.token).get(`/api/v1/cases?customerId=${client.id}`)).body.items).toEqual([]);
    expect((await t.as(ours.butler.token).get('/api/v1/cases?status=lost')).status).toBe(400);
  });

  it('another butler, of this team or another, gets 404 on every case route and changes nothing', async () => {
    const client = await newClient();
    const kase = await openCase(client.id);
    const before = await caseRow(kase.id);
    const notesBefore = (await t.db.query(`SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1`, [kase.id]))[0]
      .n;
    for (const token of [ours.colleague.token, theirs.butler.token, theirs.manager.token]) {
      const caller = t.as(token);
      expect((await caller.get(`/api/v1/cases/${kase.id}`)).status).toBe(404);
      expect((await caller.patch(`/api/v1/cases/${kase.id}`, { summary: '改了' })).status).toBe(404);
      expect((await caller.post(`/api/v1/cases/${kase.id}/notes`, { body: '偷看' })).status).toBe(404);
      expect((await caller.post(`/api/v1/cases/${kase.id}/transition`, { to: 'in_progress' })).status).toBe(404);
      // Nor may they open a case on a client they cannot see.
      expect(
        (
          await caller.post('/api/v1/cases', {
            customerId: client.id,
            type: 'other',
            channel: 'phone',
            summary: '伪造',
          })
        ).status,
      ).toBe(404);
    }
    expect(await caseRow(kase.id)).toEqual(before);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1`, [kase.id]))[0].n).toBe(
      notesBefore,
    );
    expect((await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE customer_id = $1`, [client.id]))[0].n).toBe(1);
    // The manager of the team and an admin do see it.
    expect((await t.as(ours.manager.token).get(`/api/v1/cases/${kase.id}`)).status).toBe(200);
    expect((await t.as(admin).get(`/api/v1/cases/${kase.id}`)).status).toBe(200);
  });
});
