import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { listRoutes, RouteInfo } from '../apps/api/src/create-api';
import {
  Caller,
  changedTables,
  concreteUrl,
  expectedOutcome,
  fingerprint,
  isPublic,
  isRawBody,
  isRejection,
  isWrite,
  MatrixContext,
  Outcome,
  ownerRole,
  RouteRule,
  ruleFor,
  SampleBody,
  tableNames,
  unknownRoutes,
  victimExternalUserId,
  Victims,
  victimVisible,
} from './support/access-matrix';
import { createProduct, customerBody, Team, twoTeams } from './support/factories';
import { bootApp, HttpResult, request, TestApp } from './support/test-app';

// Issue 7: every route the app registered, called as a stranger, another team's butler, a
// colleague of the owner, and another team's manager, with the ids of records they must not see.
describe('access matrix', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let v: Victims;
  let callers: Caller[];
  let tables: string[];

  const ok = (res: HttpResult, what: string): HttpResult => {
    if (res.status < 200 || res.status > 299) throw new Error(`${what} failed: ${res.status} ${res.text}`);
    return res;
  };

  // Today's month and day in Asia/Shanghai, so the victim's birthday is in /care/upcoming.
  const shanghaiMonthDay = (): string =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' }).format(
      new Date(),
    );

  beforeAll(async () => {
    // No workers: nothing but the requests below writes to the database while the matrix runs.
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    tables = await tableNames(t.db);
    const butler = t.as(ours.butler.token);
    const manager = t.as(ours.manager.token);

    const product = await createProduct(t, admin);
    const template = ok(
      await t.as(admin).post('/api/v1/templates', {
        name: '矩阵模板',
        occasion: 'custom',
        subject: '您好',
        body: '{{customer.name}}，您好',
      }),
      'template',
    ).body;
    const name = `受害客户${randomUUID().slice(0, 6)}`;
    const customer = ok(
      await butler.post(
        '/api/v1/customers',
        customerBody({ name, birthday: { date: shanghaiMonthDay(), calendar: 'solar' } }),
      ),
      'customer',
    ).body;
    ok(
      await butler.put(`/api/v1/customers/${customer.id}/taste-profile`, {
        aromas: [{ type: 'jiang', weight: 0.9 }],
        abvRange: [50, 54],
        brands: ['贵州茅台'],
        occasions: ['gifting'],
        notes: '',
      }),
      'taste profile',
    );
    const orderRef = `VICTIM-${randomUUID()}`;
    const purchase = ok(
      await butler.post(`/api/v1/customers/${customer.id}/purchases`, {
        orderRef,
        channel: 'store',
        purchasedAt: new Date(Date.now() - 86_400_000).toISOString(),
        items: [{ productId: product.id, quantity: 2, unitPriceFen: 109900 }],
      }),
      'purchase',
    ).body;
    const kase = ok(
      await butler.post('/api/v1/cases', {
        customerId: customer.id,
        purchaseId: purchase.id,
        type: 'quality',
        priority: 'high',
        channel: 'phone',
        summary: '封口渗漏',
      }),
      'case',
    ).body;
    ok(await butler.post(`/api/v1/cases/${kase.id}/notes`, { body: '已联系客户' }), 'case note');
    const followUp = async () =>
      ok(
        await manager.post('/api/v1/follow-ups', {
          customerId: customer.id,
          butlerId: ours.butler.id,
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          kind: 'manual',
          note: '',
        }),
        'follow-up',
      ).body;
    const open = await followUp();
    const done = await followUp();
    const completed = ok(
      await butler.post(`/api/v1/follow-ups/${done.id}/complete`, {
        outcome: 'reached',
        channel: 'phone',
        note: '很满意',
      }),
      'complete',
    ).body;
    // A survey answer (a detractor, so the client is also at churn risk), written as the survey
    // page writes it: the emailed token is not available without workers.
    // At the app's time (its Clock), not PostgreSQL's: the reports read "now" from the Clock.
    const now = t.app.get(Clock).now();
    const [interaction] = await t.db.query(
      `INSERT INTO interactions (customer_id, butler_id, kind, occurred_at) VALUES ($1, $2, 'visit', $3) RETURNING id`,
      [customer.id, ours.butler.id, now],
    );
    const [invitation] = await t.db.query(
      `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, status, send_at, created_at)
        VALUES ($1, $2, $3, 'follow_up', 'responded', $4, $4) RETURNING id`,
      [customer.id, ours.butler.id, interaction.id, now],
    );
    const [response] = await t.db.query(
      `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps,
                                    reliability, responsiveness, assurance, empathy, tangibles, responded_at)
       VALUES ($1, $2, $3, 2, 3, 2, 3, 2, 3, 2, $4) RETURNING id`,
      [invitation.id, customer.id, ours.butler.id, now],
    );
    await t.db.query(`UPDATE customers SET last_detractor_at = $2 WHERE id = $1`, [customer.id, now]);
    // The recovery task that answer opened, done with its root cause in November 2026 (the Pareto).
    await t.db.query(
      `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, status, outcome, completed_at,
                               survey_response_id, root_cause, recovery_outcome)
       VALUES ($1, $2, 'recovery', '低分挽回', $3, 'done', 'reached', $3, $4, 'logistics', 'resolved')`,
      [customer.id, ours.manager.id, new Date('2026-11-15T10:00:00+08:00'), response.id],
    );
    await t.db.query(`UPDATE customers SET external_user_id = $2 WHERE id = $1`, [
      customer.id,
      victimExternalUserId({ customer }),
    ]);
    // A hand-over the victim's team would read in the WeCom transfer report.
    await t.db.query(
      `INSERT INTO wecom_transfers (customer_id, kind, from_butler_id, to_butler_id, status, reason, requested_at)
       VALUES ($1, 'on_job', $2, $2, 'skipped', 'not_bound_from', $3)`,
      [customer.id, ours.butler.id, now],
    );
    ok(await t.as(admin).post('/api/v1/reports/recompute'), 'recompute');
    const campaign = ok(
      await manager.post('/api/v1/greetings/campaigns', {
        name: '矩阵中秋问候',
        occasion: 'custom',
        templateId: template.id,
        sendAt: new Date(Date.now() + 86_400_000 * 60).toISOString(),
        audience: { scope: 'team' },
        draft: true,
      }),
      'campaign',
    ).body;

    // A draft program on 29 February only: nothing the workers would send during the run.
    const program = ok(
      await manager.post('/api/v1/survey-programs', {
        name: '矩阵关系调查',
        schedule: { kind: 'window', start: '02-29', end: '02-29' },
        sample: { mode: 'all' },
        reminderAfterDays: 7,
      }),
      'program',
    ).body;

    v = {
      butlerId: ours.butler.id,
      managerId: ours.manager.id,
      customer: { id: customer.id, name, mobile: customer.mobile, email: customer.email },
      productId: product.id,
      purchaseId: purchase.id,
      orderRef,
      caseId: kase.id,
      followUpId: open.id,
      doneFollowUpId: done.id,
      interactionId: completed.interactionId,
      responseId: response.id,
      campaignId: campaign.id,
      programId: program.id,
      templateId: template.id,
    };
    callers = [
      { key: 'anonymous', role: null },
      { key: 'otherButler', role: 'butler', id: theirs.butler.id, token: theirs.butler.token, team: theirs },
      { key: 'colleague', role: 'butler', id: ours.colleague.id, token: ours.colleague.token, team: ours },
      { key: 'otherManager', role: 'manager', id: theirs.manager.id, token: theirs.manager.token, team: theirs },
    ];
  });
  afterAll(async () => {
    await t.close();
  });

  // The routes the matrix walks: all but OPTIONS and the public ones, in a stable order.
  const guardedRoutes = (): RouteInfo[] =>
    listRoutes(t.app)
      .filter((r) => r.method !== 'OPTIONS' && !isPublic(r))
      .sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));

  const send = (route: RouteInfo, rule: RouteRule, c: MatrixContext): Promise<HttpResult> => {
    const url = concreteUrl(route, c, rule);
    const sample: SampleBody | undefined =
      isWrite(route.method) && route.method !== 'DELETE' ? rule.body?.(c) : undefined;
    if (sample && isRawBody(sample))
      return request(t.app, route.method, url, {
        token: c.caller.token,
        body: sample.raw,
        headers: { 'content-type': sample.contentType },
      });
    return request(t.app, route.method, url, { token: c.caller.token, body: sample });
  };

  const matches = (status: number, outcome: Outcome): boolean =>
    outcome.status === 'ok' ? status >= 200 && status < 300 : status === outcome.status;

  it('knows every route the app registered (a new route must be given a rule, its ids and a body)', () => {
    const routes = guardedRoutes();
    expect(routes.length).toBeGreaterThan(100);
    expect(unknownRoutes(listRoutes(t.app))).toEqual([]);
  });

  it('shows every victim record to its owner, so the 404s below are about access', async () => {
    const failures: string[] = [];
    const tokens = { butler: ours.butler.token, manager: ours.manager.token, admin };
    let checked = 0;
    for (const route of guardedRoutes()) {
      const rule = ruleFor(route);
      if (!rule || route.method !== 'GET' || rule.scope === 'open') continue;
      const role = ownerRole(rule);
      const c: MatrixContext = {
        v,
        ours,
        theirs,
        caller: {
          key: 'owner',
          role,
          id: role === 'butler' ? ours.butler.id : undefined,
          token: tokens[role],
          team: ours,
        },
      };
      const res = await send(route, rule, c);
      checked++;
      if (res.status !== 200) failures.push(`${role} GET ${route.url} -> ${res.status} ${res.text.slice(0, 200)}`);
      else if (rule.scope === 'list' && !victimVisible(rule, res, v))
        failures.push(
          `${role} GET ${route.url}: the owner does not see the victim record, ` +
            'so its absence for others proves nothing',
        );
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  it(
    'answers 401, 403 or 404 as the rules say, ' + 'leaks nothing in lists, and a refused request writes nothing',
    async () => {
      const failures: string[] = [];
      let baseline = await fingerprint(t.db, tables);
      let calls = 0;
      for (const route of guardedRoutes()) {
        const rule = ruleFor(route)!;
        const planned = callers
          .filter((caller) => !rule.endsCallerSessions || caller.role === null)
          .map((caller) => ({ caller, outcome: expectedOutcome(rule, caller) }));
        const report = (caller: Caller, res: HttpResult, outcome: Outcome) =>
          `${caller.key} ${route.method} ${route.url} -> ${res.status}, ` +
          `expected ${outcome.status}: ${res.text.slice(0, 160)}`;

        // Refused calls together, then the database must be exactly as it was.
        const refused = planned.filter((p) => isRejection(p.outcome));
        const results = await Promise.all(refused.map((p) => send(route, rule, { v, ours, theirs, caller: p.caller })));
        calls += refused.length;
        refused.forEach((p, i) => {
          if (!matches(results[i].status, p.outcome)) failures.push(report(p.caller, results[i], p.outcome));
        });
        const after = await fingerprint(t.db, tables);
        const changed = changedTables(baseline, after);
        if (changed.length > 0)
          failures.push(
            `${route.method} ${route.url}: ` +
              `refused calls by ${refused.map((p) => p.caller.key).join(', ')} changed ${changed.join(', ')}`,
          );
        baseline = after;

        // Allowed calls one by one: 2xx, and a list without the victim's records.
        const allowed = planned.filter((p) => !isRejection(p.outcome));
        for (const p of allowed) {
          const res = await send(route, rule, { v, ours, theirs, caller: p.caller });
          calls++;
          if (!matches(res.status, p.outcome)) failures.push(report(p.caller, res, p.outcome));
          else if (route.method === 'GET' && rule.scope === 'list' && victimVisible(rule, res, v))
            failures.push(
              `${p.caller.key} GET ${route.url}: the list shows the victim's records: ${res.text.slice(0, 200)}`,
            );
        }
        // Allowed writes (a manager adding a product…) change the database: a new baseline.
        if (allowed.length > 0) baseline = await fingerprint(t.db, tables);
      }
      expect(failures).toEqual([]);
      expect(calls).toBeGreaterThan(400);
    },
  );

  // Found by this matrix: follow-ups were scoped by their butler only, so after an admin moved a
  // client to another team the old butler (and manager) still read its open follow-up, name and
  // all, and could complete it (an interaction and a survey email for another team's client).
  // Rule: a client's records are reached only from the client's team (follow-ups.service scoped()).
  it('leaves nothing of a client moved to another team (or deleted) within the old team reach', async () => {
    const butler = t.as(ours.butler.token);
    const moved = ok(await butler.post('/api/v1/customers', customerBody()), 'client').body;
    const deleted = ok(await butler.post('/api/v1/customers', customerBody()), 'client').body;
    const followUp = async (customerId: string) =>
      ok(
        await t.as(ours.manager.token).post('/api/v1/follow-ups', {
          customerId,
          butlerId: ours.butler.id,
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
        'follow-up',
      ).body.id as string;
    const movedTask = await followUp(moved.id);
    const deletedTask = await followUp(deleted.id);
    const kase = ok(
      await butler.post('/api/v1/cases', { customerId: moved.id, type: 'inquiry', channel: 'phone', summary: '咨询' }),
      'case',
    ).body;
    // An answer each client gave about our butler (found by a red team: they stayed readable, name,
    // scores and comment, through GET /surveys/responses after the client left the team).
    const answer = async (customerId: string): Promise<string> => {
      const now = t.app.get(Clock).now();
      const [interaction] = await t.db.query(
        `INSERT INTO interactions (customer_id, butler_id, kind, occurred_at) VALUES ($1, $2, 'call', $3) RETURNING id`,
        [customerId, ours.butler.id, now],
      );
      const [invitation] = await t.db.query(
        `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, status, send_at, created_at)
          VALUES ($1, $2, $3, 'follow_up', 'responded', $4, $4) RETURNING id`,
        [customerId, ours.butler.id, interaction.id, now],
      );
      const [response] = await t.db.query(
        `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, comment, responded_at)
          VALUES ($1, $2, $3, 1, 0, '管家态度差', $4) RETURNING id`,
        [invitation.id, customerId, ours.butler.id, now],
      );
      return response.id as string;
    };
    const movedAnswer = await answer(moved.id);
    const deletedAnswer = await answer(deleted.id);
    // Written as rows: the report summary is brought in line, as other files check it has no drift.
    ok(await t.as(admin).post('/api/v1/reports/recompute'), 'recompute');
    ok(await t.as(admin).post(`/api/v1/customers/${moved.id}/assign`, { butlerId: theirs.butler.id }), 'assign');
    ok(await butler.delete(`/api/v1/customers/${deleted.id}`), 'delete');

    const before = await fingerprint(t.db, tables);
    for (const token of [ours.butler.token, ours.manager.token]) {
      const caller = t.as(token);
      for (const task of [movedTask, deletedTask]) {
        expect((await caller.get(`/api/v1/follow-ups/${task}`)).status).toBe(404);
        expect(
          (await caller.post(`/api/v1/follow-ups/${task}/complete`, { outcome: 'reached', channel: 'phone' })).status,
        ).toBe(404);
      }
      const list = await caller.get(`/api/v1/follow-ups?customerId=${moved.id}`);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      expect((await caller.get(`/api/v1/customers/${moved.id}`)).status).toBe(404);
      expect((await caller.get(`/api/v1/cases/${kase.id}`)).status).toBe(404);
      const answers = await caller.get('/api/v1/surveys/responses?limit=100');
      expect(answers.status).toBe(200);
      expect(answers.body.items.map((r: { id: string }) => r.id)).not.toEqual(expect.arrayContaining([movedAnswer]));
      expect(answers.body.items.map((r: { id: string }) => r.id)).not.toEqual(expect.arrayContaining([deletedAnswer]));
      expect(answers.text).not.toContain(moved.id);
      expect((await caller.get(`/api/v1/surveys/responses?customerId=${moved.id}`)).body.items).toEqual([]);
    }
    // The new team reads the answer with the client.
    expect(
      (await t.as(theirs.manager.token).get(`/api/v1/surveys/responses?customerId=${moved.id}`)).body.items.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([movedAnswer]);
    expect(
      (await t.as(ours.manager.token).patch(`/api/v1/follow-ups/${movedTask}`, { status: 'cancelled' })).status,
    ).toBe(404);
    expect(changedTables(before, await fingerprint(t.db, tables))).toEqual([]);
    // The new team has the client, its case and its open follow-up (which moved with the client
    // to the new butler: follow-ups-hand-over.ts).
    expect((await t.as(theirs.butler.token).get(`/api/v1/customers/${moved.id}`)).status).toBe(200);
    expect((await t.as(theirs.manager.token).get(`/api/v1/cases/${kase.id}`)).status).toBe(200);
    const handed = await t.as(theirs.butler.token).get(`/api/v1/follow-ups/${movedTask}`);
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ butlerId: theirs.butler.id, status: 'open' });
    expect((await t.as(admin).get(`/api/v1/follow-ups/${movedTask}`)).status).toBe(200);
  });

  it(
    'moves open follow-ups with their client: to the new butler, ' +
      'a recovery task to the new manager, done ones stay',
    async () => {
      const client = ok(await t.as(ours.butler.token).post('/api/v1/customers', customerBody()), 'client').body;
      const due = new Date(Date.now() + 86_400_000).toISOString();
      const open = ok(
        await t
          .as(ours.manager.token)
          .post('/api/v1/follow-ups', { customerId: client.id, butlerId: ours.butler.id, dueAt: due }),
        'follow-up',
      ).body.id as string;
      const done = ok(
        await t
          .as(ours.manager.token)
          .post('/api/v1/follow-ups', { customerId: client.id, butlerId: ours.butler.id, dueAt: due }),
        'follow-up',
      ).body.id as string;
      ok(
        await t
          .as(ours.butler.token)
          .post(`/api/v1/follow-ups/${done}/complete`, { outcome: 'reached', channel: 'phone' }),
        'complete',
      );
      // A recovery task (as a low survey score opens it): the butler's manager's.
      const [{ id: recovery }] = await t.db.query(
        `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at)
        VALUES ($1, $2, 'recovery', '低分挽回', $3::timestamptz + interval '1 day') RETURNING id`,
        [client.id, ours.manager.id, t.app.get(Clock).now()],
      );
      const owners = async () =>
        Object.fromEntries(
          (
            (await t.db.query(`SELECT id, butler_id FROM follow_ups WHERE customer_id = $1`, [client.id])) as {
              id: string;
              butler_id: string;
            }[]
          ).map((r) => [r.id, r.butler_id]),
        );

      // Within the team: the open task follows the client to the colleague; the manager keeps the recovery.
      ok(
        await t
          .as(ours.manager.token)
          .post('/api/v1/customers/bulk-assign', { customerIds: [client.id], butlerId: ours.colleague.id }),
        'bulk-assign',
      );
      expect(await owners()).toEqual({
        [open]: ours.colleague.id,
        [done]: ours.butler.id,
        [recovery]: ours.manager.id,
      });
      // To another team: the recovery task goes to that team's manager.
      ok(await t.as(admin).post(`/api/v1/customers/${client.id}/assign`, { butlerId: theirs.butler.id }), 'assign');
      expect(await owners()).toEqual({
        [open]: theirs.butler.id,
        [done]: ours.butler.id,
        [recovery]: theirs.manager.id,
      });
      const mine = await t.as(theirs.manager.token).get(`/api/v1/follow-ups?customerId=${client.id}&status=open`);
      expect(mine.body.items.map((f: { id: string }) => f.id).sort()).toEqual([open, recovery].sort());
    },
  );

  // Owner fields in bodies: refused (400 naming the field, or 403) or ignored, never applied.
  describe('mass assignment', () => {
    const customerRow = async (id: string) =>
      (
        await t.db.query(`SELECT butler_id, name, purchase_count, total_spent_fen FROM customers WHERE id = $1`, [id])
      )[0];
    const messages = (res: HttpResult): string => [res.body?.message].flat().join(' | ');
    let mine: { id: string };

    beforeAll(async () => {
      mine = ok(await t.as(ours.butler.token).post('/api/v1/customers', customerBody()), 'client').body;
    });

    it('keeps a client with the butler who may own it', async () => {
      const count = async () =>
        (
          await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE butler_id = ANY($1)`, [
            [ours.butler.id, ours.colleague.id, theirs.butler.id],
          ])
        )[0].n;
      const before = await count();
      // A butler creates clients for themselves only.
      expect(
        (await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ butlerId: ours.colleague.id }))).status,
      ).toBe(403);
      expect(
        (await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ butlerId: theirs.butler.id }))).status,
      ).toBe(403);
      // A manager for a butler of their team only.
      const outside = await t
        .as(ours.manager.token)
        .post('/api/v1/customers', customerBody({ butlerId: theirs.butler.id }));
      expect(outside.status).toBe(400);
      expect(messages(outside)).toContain('butlerId must be an active butler of your team');
      expect(await count()).toBe(before);
      // PATCH never moves a client, nor sets derived figures.
      const rowBefore = await customerRow(mine.id);
      const moved = await t
        .as(ours.butler.token)
        .patch(`/api/v1/customers/${mine.id}`, { butlerId: ours.colleague.id, purchaseCount: 99, totalSpentFen: 1 });
      expect(moved.status).toBe(400);
      for (const field of ['butlerId', 'purchaseCount', 'totalSpentFen'])
        expect(messages(moved)).toContain(`property ${field} should not exist`);
      const asManager = await t
        .as(ours.manager.token)
        .patch(`/api/v1/customers/${mine.id}`, { butlerId: ours.colleague.id });
      expect(asManager.status).toBe(400);
      expect(await customerRow(mine.id)).toEqual(rowBefore);
      // Moving a batch that names another team's client moves none of them.
      const batch = await t
        .as(theirs.manager.token)
        .post('/api/v1/customers/bulk-assign', { customerIds: [v.customer.id], butlerId: theirs.butler.id });
      expect(batch.status).toBe(404);
      expect((await customerRow(v.customer.id)).butler_id).toBe(ours.butler.id);
    });

    it('lets only an admin set a role, a team or an account', async () => {
      const userRow = async (id: string) =>
        (await t.db.query(`SELECT role, manager_id, active, email FROM users WHERE id = $1`, [id]))[0];
      const [butlerBefore, managerBefore] = [await userRow(ours.butler.id), await userRow(ours.manager.id)];
      expect((await t.as(ours.butler.token).patch(`/api/v1/users/${ours.butler.id}`, { role: 'admin' })).status).toBe(
        403,
      );
      expect(
        (await t.as(ours.butler.token).patch(`/api/v1/users/${ours.butler.id}`, { managerId: theirs.manager.id }))
          .status,
      ).toBe(403);
      expect((await t.as(ours.manager.token).patch(`/api/v1/users/${ours.manager.id}`, { role: 'admin' })).status).toBe(
        403,
      );
      expect(
        (await t.as(ours.manager.token).patch(`/api/v1/users/${theirs.butler.id}`, { managerId: ours.manager.id }))
          .status,
      ).toBe(403);
      expect(
        (
          await t.as(ours.manager.token).post('/api/v1/users', {
            email: `x-${randomUUID().slice(0, 8)}@test.local`,
            name: 'x',
            role: 'admin',
            password: 'password-123',
          })
        ).status,
      ).toBe(403);
      expect(await userRow(ours.butler.id)).toEqual(butlerBefore);
      expect(await userRow(ours.manager.id)).toEqual(managerBefore);
      expect((await userRow(theirs.butler.id)).manager_id).toBe(theirs.manager.id);
      // Signing in takes credentials only.
      const login = await t.anonymous.post('/api/v1/auth/login', {
        email: ours.butler.email,
        password: 'password-123',
        role: 'admin',
      });
      expect(login.status).toBe(400);
      expect(messages(login)).toContain('property role should not exist');
    });

    it(
      'gives follow-ups and cases only to butlers of the team, ' + 'and never takes an author or opener from the body',
      async () => {
        const fuCount = async () =>
          (await t.db.query(`SELECT count(*)::int AS n FROM follow_ups WHERE customer_id = $1`, [mine.id]))[0].n;
        const before = await fuCount();
        const due = new Date(Date.now() + 86_400_000).toISOString();
        const outside = await t
          .as(ours.manager.token)
          .post('/api/v1/follow-ups', { customerId: mine.id, butlerId: theirs.butler.id, dueAt: due });
        expect(outside.status).toBe(400);
        expect(messages(outside)).toContain('butlerId must be an active butler of your team');
        const forged = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
          customerId: mine.id,
          butlerId: ours.butler.id,
          dueAt: due,
          assignedBy: admin,
          status: 'done',
        });
        expect(forged.status).toBe(400);
        expect(await fuCount()).toBe(before);
        const task = ok(
          await t
            .as(ours.manager.token)
            .post('/api/v1/follow-ups', { customerId: mine.id, butlerId: ours.butler.id, dueAt: due }),
          'follow-up',
        ).body;
        expect(task).toMatchObject({ butlerId: ours.butler.id, assignedBy: ours.manager.id });
        expect(
          (await t.as(ours.manager.token).patch(`/api/v1/follow-ups/${task.id}`, { butlerId: theirs.butler.id }))
            .status,
        ).toBe(400);
        expect(
          (
            await t.as(ours.butler.token).post(`/api/v1/follow-ups/${task.id}/complete`, {
              outcome: 'reached',
              channel: 'phone',
              butlerId: ours.colleague.id,
            })
          ).status,
        ).toBe(400);
        expect((await t.db.query(`SELECT butler_id, status FROM follow_ups WHERE id = $1`, [task.id]))[0]).toEqual({
          butler_id: ours.butler.id,
          status: 'open',
        });

        const caseCount = async () =>
          (await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE customer_id = $1`, [mine.id]))[0].n;
        const cases = await caseCount();
        const withOwner = await t.as(ours.butler.token).post('/api/v1/cases', {
          customerId: mine.id,
          type: 'other',
          channel: 'phone',
          summary: '咨询',
          butlerId: ours.colleague.id,
          openedBy: admin,
          status: 'closed',
        });
        expect(withOwner.status).toBe(400);
        for (const field of ['butlerId', 'openedBy', 'status'])
          expect(messages(withOwner)).toContain(`property ${field} should not exist`);
        expect(await caseCount()).toBe(cases);
        const kase = ok(
          await t
            .as(ours.butler.token)
            .post('/api/v1/cases', { customerId: mine.id, type: 'other', channel: 'phone', summary: '咨询' }),
          'case',
        ).body;
        expect(kase).toMatchObject({ butlerId: ours.butler.id, openedBy: ours.butler.id });
        expect(
          (await t.as(ours.butler.token).patch(`/api/v1/cases/${kase.id}`, { butlerId: ours.colleague.id })).status,
        ).toBe(403);
        expect(
          (await t.as(ours.manager.token).patch(`/api/v1/cases/${kase.id}`, { butlerId: theirs.butler.id })).status,
        ).toBe(400);
        expect((await t.as(ours.butler.token).patch(`/api/v1/cases/${kase.id}`, { status: 'closed' })).status).toBe(
          400,
        );
        expect(
          (
            await t
              .as(ours.butler.token)
              .post(`/api/v1/cases/${kase.id}/notes`, { body: '记录', authorId: ours.colleague.id })
          ).status,
        ).toBe(400);
        expect((await t.db.query(`SELECT butler_id, status FROM cases WHERE id = $1`, [kase.id]))[0]).toEqual({
          butler_id: ours.butler.id,
          status: 'open',
        });
        expect((await t.db.query(`SELECT count(*)::int AS n FROM case_notes WHERE case_id = $1`, [kase.id]))[0].n).toBe(
          0,
        );
      },
    );

    it('records a purchase for the client butler, whatever the body says', async () => {
      const res = await t.as(ours.butler.token).post(`/api/v1/customers/${mine.id}/purchases`, {
        orderRef: `MA-${randomUUID()}`,
        channel: 'store',
        purchasedAt: new Date().toISOString(),
        items: [{ productId: v.productId, quantity: 1, unitPriceFen: 100 }],
        butlerId: ours.colleague.id,
        totalFen: 1,
      });
      expect(res.status).toBe(400);
      expect(messages(res)).toContain('property butlerId should not exist');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM purchases WHERE customer_id = $1`, [mine.id]))[0].n,
      ).toBe(0);
      expect(
        (
          await t
            .as(ours.butler.token)
            .put(`/api/v1/customers/${mine.id}/taste-profile`, { aromas: [], customerId: v.customer.id })
        ).status,
      ).toBe(400);
    });

    it('keeps a manager campaign to their own team, whatever the audience names', async () => {
      const theirsCount = Number(
        (
          await t.db.query(
            `SELECT count(*) AS n FROM customers c JOIN users u ON u.id = c.butler_id
              WHERE u.manager_id = $1 AND c.deleted_at IS NULL`,
            [theirs.manager.id],
          )
        )[0].n,
      );
      const base = {
        name: '越界问候',
        occasion: 'custom',
        templateId: v.templateId,
        sendAt: new Date(Date.now() + 86_400_000 * 30).toISOString(),
        draft: true,
      };
      for (const audience of [
        { scope: 'team', managerId: ours.manager.id },
        { scope: 'all' },
        { scope: 'all', managerId: ours.manager.id },
      ]) {
        const res = await t.as(theirs.manager.token).post('/api/v1/greetings/campaigns', { ...base, audience });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ managerId: theirs.manager.id, audienceCount: theirsCount });
        expect(
          (await t.db.query(`SELECT manager_id FROM greeting_campaigns WHERE id = $1`, [res.body.id]))[0].manager_id,
        ).toBe(theirs.manager.id);
      }
      const oneButler = await t
        .as(theirs.manager.token)
        .post('/api/v1/greetings/campaigns', { ...base, audience: { scope: 'butler', butlerId: ours.butler.id } });
      expect(oneButler.status).toBe(400);
      expect(messages(oneButler)).toContain('audience.butlerId must be a butler of your team');
      expect(
        (
          await t
            .as(theirs.manager.token)
            .post('/api/v1/greetings/campaigns', { ...base, audience: { scope: 'team' }, managerId: ours.manager.id })
        ).status,
      ).toBe(400);
      // The victim's team is really there to be counted: an admin addressing it counts the victim.
      const byAdmin = ok(
        await t
          .as(admin)
          .post('/api/v1/greetings/campaigns', { ...base, audience: { scope: 'team', managerId: ours.manager.id } }),
        'admin campaign',
      ).body;
      expect(byAdmin.audienceCount).toBeGreaterThan(0);
    });
  });
  // Found by a red team: a 409 for a mobile or orderRef that another team holds says that record
  // exists. The uniqueness stays; each such answer is audited and counted, and past
  // EXISTENCE_PROBE_LIMIT (30) an hour the prober gets 429s.
  it('audits and limits the answers that reveal another team holds a mobile or an orderRef', async () => {
    const prober = await t.createUser(admin, { role: 'butler', managerId: theirs.manager.id });
    const own = ok(await t.as(prober.token).post('/api/v1/customers', customerBody()), 'client').body;
    const taken = await t.as(prober.token).post('/api/v1/customers', customerBody({ mobile: v.customer.mobile }));
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('CUSTOMER_MOBILE_TAKEN');
    expect(taken.body.existingId).toBeUndefined();
    const order = await t.as(prober.token).post(`/api/v1/customers/${own.id}/purchases`, {
      orderRef: v.orderRef,
      channel: 'store',
      purchasedAt: new Date(Date.now() - 60_000).toISOString(),
      items: [{ productId: v.productId, quantity: 1, unitPriceFen: 100 }],
    });
    expect(order.status).toBe(409);
    const probes = await t.db.query(
      `SELECT entity_type, entity_id, changes FROM audit_log
        WHERE actor_id = $1 AND action = 'probe' ORDER BY created_at`,
      [prober.id],
    );
    expect(probes).toEqual([
      { entity_type: 'customer', entity_id: v.customer.id, changes: { kind: 'customer.mobile', count: 1 } },
      { entity_type: 'purchase', entity_id: v.purchaseId, changes: { kind: 'purchase.orderRef', count: 1 } },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push(
        (await t.as(prober.token).patch(`/api/v1/customers/${own.id}`, { mobile: v.customer.mobile })).status,
      );
    expect(statuses.slice(0, 28).every((s) => s === 409)).toBe(true);
    expect(statuses.slice(28)).toEqual([429, 429]);
    // Someone who may see the client is told which one it is, and it is no probe.
    const mineTaken = await t
      .as(ours.manager.token)
      .post('/api/v1/customers', customerBody({ mobile: v.customer.mobile, butlerId: ours.butler.id }));
    expect(mineTaken.status).toBe(409);
    expect(mineTaken.body.existingId).toBe(v.customer.id);
    expect(
      await t.db.query(`SELECT 1 FROM audit_log WHERE actor_id = $1 AND action = 'probe'`, [ours.manager.id]),
    ).toEqual([]);
  });
});
