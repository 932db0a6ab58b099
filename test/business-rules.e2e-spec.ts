import { Actor, scopeOf } from '@app/access';
import {
  shanghaiDay,
  shanghaiDaysBetween,
  shanghaiDaysBetweenSql,
  shanghaiDaySql,
  shanghaiDayStartSql,
  shanghaiTime,
} from '@app/common';
import {
  atRiskSql,
  choiceAddressSql,
  chooseChannel,
  chooseChannelSql,
  churnReasonCodes,
  consentColumn,
  ConsentColumn,
  CONTACT_PURPOSES,
  ContactRow,
} from '@app/customers';
import { Channel, CHANNELS } from '@app/mail';
import type { ChurnSettingsDto } from '@app/settings';
import { detractorSql, isDetractor } from '@app/surveys';

import { customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// Each shared rule is written once as SQL and once as TypeScript (issue 14): here both run over
// the same table of cases, the SQL in PostgreSQL over literal rows, and must give the same answers.
// The access policy is checked the same way over real users, clients and follow-ups.
describe('business rules: SQL and TypeScript agree', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const lit = (v: number | string | boolean | null, type: string): string =>
    v === null ? `NULL::${type}` : typeof v === 'string' ? `'${v}'::${type}` : `${String(v)}::${type}`;

  // Runs `expr` over literal rows (columns named in `columns`, first one `n`) and returns expr per n.
  async function sqlOver<T>(columns: string[], rows: string[][], expr: string, params: unknown[] = []): Promise<T[]> {
    const values = rows.map((r, n) => `(${[String(n), ...r].join(', ')})`).join(', ');
    const result: { n: number; v: T }[] = await t.db.query(
      `SELECT r.n, ${expr} AS v FROM (VALUES ${values}) AS r(n, ${columns.join(', ')}) ORDER BY r.n`,
      params,
    );
    return result.map((row) => row.v);
  }

  describe('detractor', () => {
    it('is CSAT 1–2 or NPS 0–6 in both, NPS left blank counting as no', async () => {
      const cases: { csat: number; nps: number | null }[] = [];
      for (const csat of [1, 2, 3, 4, 5]) for (const nps of [null, 0, 6, 7, 8, 9, 10]) cases.push({ csat, nps });
      const sql = await sqlOver<boolean>(
        ['csat', 'nps'],
        cases.map((c) => [lit(c.csat, 'smallint'), lit(c.nps, 'smallint')]),
        detractorSql('r'),
      );
      const negated = await sqlOver<boolean>(
        ['csat', 'nps'],
        cases.map((c) => [lit(c.csat, 'smallint'), lit(c.nps, 'smallint')]),
        `NOT ${detractorSql('r')}`,
      );
      expect(sql).toEqual(cases.map((c) => isDetractor(c)));
      expect(negated).toEqual(cases.map((c) => !isDetractor(c)));
      // The rule itself, as the product states it.
      expect(isDetractor({ csat: 2, nps: null })).toBe(true);
      expect(isDetractor({ csat: 3, nps: 6 })).toBe(true);
      expect(isDetractor({ csat: 3, nps: 7 })).toBe(false);
    });
  });

  describe('churn risk', () => {
    const churn: ChurnSettingsDto = { k: 2, singlePurchaseDays: 180, detractorDays: 90 };
    const asOf = new Date('2027-06-01T04:00:00.000Z');
    const daysAgo = (days: number): Date => new Date(asOf.getTime() - days * 86_400_000);
    const facts = (
      purchaseCount: number,
      firstDaysAgo: number | null,
      lastDaysAgo: number | null,
      detractorDaysAgo: number | null = null,
      wecomRemovedDaysAgo: number | null = null,
    ) => ({
      purchaseCount,
      firstPurchaseAt: firstDaysAgo === null ? null : daysAgo(firstDaysAgo),
      lastPurchaseAt: lastDaysAgo === null ? null : daysAgo(lastDaysAgo),
      lastDetractorAt: detractorDaysAgo === null ? null : daysAgo(detractorDaysAgo),
      wecomRemovedAt: wecomRemovedDaysAgo === null ? null : daysAgo(wecomRemovedDaysAgo),
    });
    const cases = [
      facts(0, null, null),
      facts(1, 179, 179),
      facts(1, 180, 180), // exactly the limit: not yet
      facts(1, 181, 181),
      facts(2, 89, 59), // typical gap 30 days, k = 2: at risk after 60
      facts(2, 90, 60),
      facts(2, 91, 61),
      facts(3, 92, 61.5), // gap 15.25 days: at risk after 30.5
      facts(3, 60, 30),
      facts(2, 10, 10), // bought twice the same day: any time since is overdue
      facts(0, null, null, 89),
      facts(0, null, null, 90), // exactly detractorDays ago: no longer recent
      facts(0, null, null, 91),
      facts(1, 200, 200, 10), // two reasons
      facts(2, 400, 10, 400),
      facts(0, null, null, null, 0), // deleted the butler on WeCom just now
      facts(0, null, null, null, 400), // long ago, and never added one again: still at risk
      facts(0, null, null, null, -1), // stamped ahead of the Clock: not yet
      facts(1, 200, 200, null, 3), // two reasons
    ];

    it('flags the same clients, for the same reasons', async () => {
      const { sql: bound, params: values } = atRiskSql('r', churn, asOf).at(1);
      const atRisk = await sqlOver<boolean>(
        ['purchase_count', 'first_purchase_at', 'last_purchase_at', 'last_detractor_at', 'wecom_removed_at'],
        cases.map((c) => [
          lit(c.purchaseCount, 'int'),
          lit(c.firstPurchaseAt?.toISOString() ?? null, 'timestamptz'),
          lit(c.lastPurchaseAt?.toISOString() ?? null, 'timestamptz'),
          lit(c.lastDetractorAt?.toISOString() ?? null, 'timestamptz'),
          lit(c.wecomRemovedAt?.toISOString() ?? null, 'timestamptz'),
        ]),
        `COALESCE(${bound}, false)`,
        values,
      );
      const reasons = cases.map((c) => churnReasonCodes(c, churn, asOf));
      expect(atRisk).toEqual(reasons.map((r) => r.length > 0));
      expect(reasons).toEqual([
        [],
        [],
        [],
        ['single_purchase_lapsed'],
        [],
        [],
        ['overdue_repurchase'],
        ['overdue_repurchase'],
        [],
        ['overdue_repurchase'],
        ['recent_detractor'],
        [],
        [],
        ['single_purchase_lapsed', 'recent_detractor'],
        [],
        ['wecom_removed'],
        ['wecom_removed'],
        [],
        ['single_purchase_lapsed', 'wecom_removed'],
      ]);
    });
  });

  describe('consent to contact and the channel', () => {
    const CONSENT_COLUMNS = CONTACT_PURPOSES.flatMap((p) => CHANNELS.map((ch) => consentColumn(p, ch)));
    // WeCom: no external contact; bound (the butler has a WeCom userid) under and at the month's
    // limit; an external contact whose butler is not bound.
    const WECOM_STATES: [string | null, boolean, number][] = [
      [null, true, 0],
      ['wmClient01', true, 3],
      ['wmClient02', true, 4],
      ['wmClient03', false, 0],
    ];
    const rows: ContactRow[] = [];
    for (const deleted of [false, true])
      for (const email of [null, 'a@example.com'])
        for (const mobile of [null, '13812345678', '12345678901'])
          for (const preferred of [null, ...CHANNELS])
            for (const [externalId, bound, monthCount] of WECOM_STATES)
              for (let granted = 0; granted < 8; granted++) {
                const row: ContactRow = {
                  deleted_at: deleted ? new Date('2027-01-01T00:00:00Z') : null,
                  email,
                  mobile,
                  preferred_channel: preferred,
                  external_user_id: externalId,
                  butler_wecom_bound: bound,
                  wecom_month_count: monthCount,
                };
                // Greetings on the channels of `granted`'s bits; surveys on the others.
                CHANNELS.forEach((ch, bit) => {
                  row[consentColumn('greetings', ch)] = (granted & (1 << bit)) !== 0;
                  row[consentColumn('surveys', ch)] = (granted & (1 << bit)) === 0;
                });
                rows.push(row);
              }
    const columns = [
      'deleted_at',
      'email',
      'mobile',
      'preferred_channel',
      'external_user_id',
      'butler_wecom_bound',
      'wecom_month_count',
      ...CONSENT_COLUMNS,
    ];
    const literals = rows.map((r) => [
      lit(r.deleted_at?.toISOString() ?? null, 'timestamptz'),
      lit(r.email, 'varchar'),
      lit(r.mobile, 'varchar'),
      lit(r.preferred_channel, 'varchar'),
      lit(r.external_user_id ?? null, 'varchar'),
      lit(r.butler_wecom_bound ?? false, 'boolean'),
      lit(r.wecom_month_count ?? 0, 'int'),
      ...CONSENT_COLUMNS.map((c) => lit(r[c as ConsentColumn] ?? false, 'boolean')),
    ]);
    const orders: Channel[][] = [['email', 'sms'], ['sms', 'email'], ['wecom', 'sms', 'email'], ['email']];
    // The WeCom facts read from the literal table's columns (production reads users and messages).
    const WECOM_COLUMNS = { bound: 'r.butler_wecom_bound', monthCount: 'r.wecom_month_count' };

    it.each(CONTACT_PURPOSES.flatMap((p) => orders.map((o) => [p, o.join('>')] as const)))(
      'chooses the same channel and address for %s in the order %s, or refuses for the same reason',
      async (purpose, orderText) => {
        const order = orderText.split('>') as Channel[];
        const sql = await sqlOver<{ choice: string; address: string | null }>(
          columns,
          literals,
          `(SELECT json_build_object('choice', x.c, 'address', ${choiceAddressSql('r', 'x.c', WECOM_COLUMNS)})
              FROM (SELECT ${chooseChannelSql('r', purpose, order, WECOM_COLUMNS)} AS c) x)`,
        );
        const ts = rows.map((r) => {
          const choice = chooseChannel(r, purpose, order);
          return 'refusal' in choice
            ? { choice: choice.refusal, address: null }
            : { choice: choice.channel, address: choice.address };
        });
        expect(sql).toEqual(ts);
      },
    );

    it('follows the rule as the product states it', () => {
      const base: ContactRow = {
        deleted_at: null,
        email: 'a@example.com',
        mobile: '13812345678',
        preferred_channel: null,
      };
      const order: Channel[] = ['email', 'sms'];
      // Preferred, when consented and reachable.
      expect(
        chooseChannel(
          { ...base, preferred_channel: 'sms', consent_greetings_email: true, consent_greetings_sms: true },
          'greetings',
          order,
        ),
      ).toEqual({ channel: 'sms', address: '13812345678' });
      // Else the order: preferred SMS without SMS consent falls back to email.
      expect(
        chooseChannel({ ...base, preferred_channel: 'sms', consent_greetings_email: true }, 'greetings', order),
      ).toEqual({ channel: 'email', address: 'a@example.com' });
      // A mobile-only client with SMS consent: by SMS.
      expect(chooseChannel({ ...base, email: null, consent_surveys_sms: true }, 'surveys', order)).toEqual({
        channel: 'sms',
        address: '13812345678',
      });
      // Consent, but no address on a consented channel: no_channel.
      expect(chooseChannel({ ...base, email: null, consent_greetings_email: true }, 'greetings', order)).toEqual({
        refusal: 'no_channel',
      });
      // WeCom reaches a client with an external contact id whose butler is bound to WeCom, while the
      // month's 4 群发 messages are not used up; then the next channel of the order.
      const onWecom = { ...base, preferred_channel: 'wecom' as const, consent_greetings_wecom: true };
      expect(chooseChannel(onWecom, 'greetings', ['wecom'])).toEqual({ refusal: 'no_channel' });
      expect(chooseChannel({ ...onWecom, external_user_id: 'wmA' }, 'greetings', ['wecom'])).toEqual({
        refusal: 'no_channel',
      });
      const bound = { ...onWecom, external_user_id: 'wmA', butler_wecom_bound: true, consent_greetings_email: true };
      expect(chooseChannel({ ...bound, wecom_month_count: 3 }, 'greetings', order)).toEqual({
        channel: 'wecom',
        address: 'wmA',
      });
      expect(chooseChannel({ ...bound, wecom_month_count: 4 }, 'greetings', order)).toEqual({
        channel: 'email',
        address: 'a@example.com',
      });
      expect(
        chooseChannel({ ...base, mobile: '12345678901', consent_greetings_sms: true }, 'greetings', order),
      ).toEqual({ refusal: 'no_channel' });
      // No yes on any channel: no_consent.
      expect(chooseChannel({ ...base, consent_surveys_email: true }, 'greetings', order)).toEqual({
        refusal: 'no_consent',
      });
      expect(
        chooseChannel({ ...base, deleted_at: new Date(), consent_greetings_email: true }, 'greetings', order),
      ).toEqual({ refusal: 'customer_deleted' });
    });
  });

  describe('today in Shanghai', () => {
    const instants = [
      '2027-01-01T15:59:59.999Z', // 23:59:59.999 in Shanghai
      '2027-01-01T16:00:00.000Z', // midnight in Shanghai: the next day
      '2028-02-28T16:30:00.000Z', // a leap day
      '2026-12-31T16:00:00.000Z',
      '2027-06-30T23:00:00.000Z',
    ].map((s) => new Date(s));

    it('gives the same calendar day, day start and days between', async () => {
      const days = await sqlOver<string>(
        ['at'],
        instants.map((at) => [lit(at.toISOString(), 'timestamptz')]),
        `to_char(${shanghaiDaySql('r.at')}, 'YYYY-MM-DD')`,
      );
      expect(days).toEqual(instants.map(shanghaiDay));
      expect(days.slice(0, 3)).toEqual(['2027-01-01', '2027-01-02', '2028-02-29']);

      const starts = await sqlOver<Date>(
        ['day'],
        days.map((d) => [lit(d, 'date')]),
        shanghaiDayStartSql('r.day'),
      );
      expect(starts.map((s) => s.toISOString())).toEqual(days.map((d) => shanghaiTime(d, 0).toISOString()));

      const pairs = instants.flatMap((from) => instants.map((to) => [from, to]));
      const between = await sqlOver<number>(
        ['a', 'b'],
        pairs.map(([from, to]) => [lit(from.toISOString(), 'timestamptz'), lit(to.toISOString(), 'timestamptz')]),
        shanghaiDaysBetweenSql('r.a', 'r.b'),
      );
      expect(between).toEqual(pairs.map(([from, to]) => shanghaiDaysBetween(from, to)));
      expect(shanghaiDaysBetween(instants[0], instants[1])).toBe(1);
    });
  });

  describe('access policy', () => {
    let admin: Actor;
    let ours: Team;
    let theirs: Team;
    let actors: Actor[];
    const clients: Record<string, string> = {};
    const followUps: string[] = [];

    beforeAll(async () => {
      const teams = await twoTeams(t);
      ({ ours, theirs } = teams);
      const me = await t.as(teams.admin).get('/api/v1/me');
      admin = { id: me.body.id, role: 'admin', managerId: null };
      const manager = (team: Team): Actor => ({ id: team.manager.id, role: 'manager', managerId: null });
      const butler = (team: Team, who: 'butler' | 'colleague'): Actor => ({
        id: team[who].id,
        role: 'butler',
        managerId: team.manager.id,
      });
      actors = [
        admin,
        manager(ours),
        butler(ours, 'butler'),
        butler(ours, 'colleague'),
        manager(theirs),
        butler(theirs, 'butler'),
      ];
      const create = async (token: string, name: string): Promise<string> => {
        const res = await t.as(token).post('/api/v1/customers', customerBody({ name }));
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      clients.ours = await create(ours.butler.token, '甲');
      clients.colleague = await create(ours.colleague.token, '乙');
      clients.theirs = await create(theirs.butler.token, '丙');
      clients.deleted = await create(ours.butler.token, '丁');
      expect((await t.as(ours.butler.token).delete(`/api/v1/customers/${clients.deleted}`)).status).toBe(204);
      const assign = async (token: string, customerId: string, butlerId: string): Promise<void> => {
        const res = await t.as(token).post('/api/v1/follow-ups', {
          customerId,
          butlerId,
          dueAt: '2027-01-05T10:00:00+08:00',
          kind: 'manual',
        });
        expect(res.status).toBe(201);
        followUps.push(res.body.id as string);
      };
      await assign(ours.manager.token, clients.ours, ours.butler.id);
      // A follow-up with a butler who is not the client's, as earlier releases let a manager assign
      // (the API now refuses it, and a migration moved those back): the policy still answers alike.
      const [stray] = await t.db.query(
        `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at)
           VALUES ($1, $2, 'manual', '回访', '2027-01-05T10:00:00+08:00') RETURNING id`,
        [clients.ours, ours.colleague.id],
      );
      followUps.push(stray.id as string);
      await assign(theirs.manager.token, clients.theirs, theirs.butler.id);
    });

    // Runs a scope predicate both ways (positional at an offset, and named as query builders bind
    // it) and returns the ids it lets through.
    async function visible(
      select: string,
      ids: string[],
      predicate: (at: number) => { sql: string; params: unknown[] },
      named: () => { sql: string; params: Record<string, unknown> },
    ) {
      const positional = predicate(2);
      const a: { id: string }[] = await t.db.query(`${select} AND ${positional.sql}`, [ids, ...positional.params]);
      const n = named();
      const [sql, values] = t.db.driver.escapeQueryWithParameters(
        `${select.replace('$1', ':ids')} AND ${n.sql}`,
        { ...n.params, ids },
        {},
      );
      const b: { id: string }[] = await t.db.query(sql, values);
      const sorted = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
      expect(sorted(b)).toEqual(sorted(a));
      return sorted(a);
    }

    it('lets the same actors see the same clients', async () => {
      const ids = Object.values(clients);
      const rows: { id: string; butler_id: string; manager_id: string | null; deleted: boolean }[] = await t.db.query(
        `SELECT c.id, c.butler_id, u.manager_id, c.deleted_at IS NOT NULL AS deleted
           FROM customers c JOIN users u ON u.id = c.butler_id WHERE c.id = ANY($1)`,
        [ids],
      );
      expect(rows).toHaveLength(4);
      for (const actor of actors) {
        const scope = scopeOf(actor);
        const sql = await visible(
          'SELECT c.id FROM customers c WHERE c.id = ANY($1)',
          ids,
          (at) => scope.clients('c').at(at),
          () => scope.clients('c').named(),
        );
        const ts = rows
          .filter((r) => scope.seesClient({ butlerId: r.butler_id, butlerManagerId: r.manager_id, deleted: r.deleted }))
          .map((r) => r.id)
          .sort();
        expect(sql).toEqual(ts);
      }
      // What each sees, as the product says: own clients, the team's, everyone's; never a deleted one.
      const seen = (actor: Actor) =>
        rows
          .filter((r) =>
            scopeOf(actor).seesClient({ butlerId: r.butler_id, butlerManagerId: r.manager_id, deleted: r.deleted }),
          )
          .map((r) => r.id)
          .sort();
      expect(seen(actors[2])).toEqual([clients.ours]);
      expect(seen(actors[1])).toEqual([clients.ours, clients.colleague].sort());
      expect(seen(admin)).toEqual([clients.ours, clients.colleague, clients.theirs].sort());
    });

    it('lets the same actors see the same users and teams', async () => {
      const users = [ours.manager, ours.butler, ours.colleague, theirs.manager, theirs.butler].map((m) => m.id);
      const rows: { id: string; manager_id: string | null }[] = await t.db.query(
        'SELECT id, manager_id FROM users WHERE id = ANY($1)',
        [users],
      );
      const teams = [ours.manager.id, theirs.manager.id, null];
      for (const actor of actors) {
        const scope = scopeOf(actor);
        const sql = await visible(
          'SELECT u.id FROM users u WHERE u.id = ANY($1)',
          users,
          (at) => scope.users('u').at(at),
          () => scope.users('u').named(),
        );
        expect(sql).toEqual(
          rows
            .filter((r) => scope.seesUser({ id: r.id, managerId: r.manager_id }))
            .map((r) => r.id)
            .sort(),
        );
        const team = scope.teams('g.manager_id').at(1);
        const seenTeams: { manager_id: string | null }[] = await t.db.query(
          `SELECT g.manager_id FROM (VALUES ${teams.map((m) => `(${lit(m, 'uuid')})`).join(', ')}) AS g(manager_id)
            WHERE ${team.sql}`,
          team.params,
        );
        expect(seenTeams.map((g) => g.manager_id).sort()).toEqual(teams.filter((m) => scope.seesTeam(m)).sort());
      }
    });

    it('lets the same actors see the same follow-ups', async () => {
      const rows: { id: string; butler_id: string; assignee_manager: string | null; client_team: string | null }[] =
        await t.db.query(
          `SELECT f.id, f.butler_id, a.manager_id AS assignee_manager, cb.manager_id AS client_team
             FROM follow_ups f JOIN users a ON a.id = f.butler_id
             JOIN customers c ON c.id = f.customer_id JOIN users cb ON cb.id = c.butler_id
            WHERE f.id = ANY($1)`,
          [followUps],
        );
      expect(rows).toHaveLength(3);
      for (const actor of actors) {
        const scope = scopeOf(actor);
        const sql = await visible(
          'SELECT f.id FROM follow_ups f LEFT JOIN customers c ON c.id = f.customer_id WHERE f.id = ANY($1)',
          followUps,
          (at) => scope.followUps('f', 'c').at(at),
          () => scope.followUps('f', 'c').named(),
        );
        const ts = rows
          .filter((r) =>
            scope.seesFollowUp({
              assigneeId: r.butler_id,
              assigneeManagerId: r.assignee_manager,
              clientTeamId: r.client_team,
            }),
          )
          .map((r) => r.id)
          .sort();
        expect(sql).toEqual(ts);
      }
      // A butler sees only what is assigned to them, even on a client of their own.
      const own = rows.filter((r) =>
        scopeOf(actors[2]).seesFollowUp({
          assigneeId: r.butler_id,
          assigneeManagerId: r.assignee_manager,
          clientTeamId: r.client_team,
        }),
      );
      expect(own.map((r) => r.id)).toEqual([followUps[0]]);
    });
  });
});
