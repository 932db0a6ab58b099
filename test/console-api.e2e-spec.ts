import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';

import { customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// API the console needed: what is coming up this week, survey answers to read, bulk reassignment
// and the aroma filter. Each keeps the ownership rules.
describe('console API additions', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;

  const newClient = async (token: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; butlerId: string };
  };

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
  });
  afterEach(() => t.app.get(Clock).reset());
  afterAll(async () => {
    await t.close();
  });

  describe('GET /care/upcoming', () => {
    it('lists the caller’s clients’ birthdays (solar and lunar) and the festivals of the next days', async () => {
      // 2027-09-12 Shanghai: 中秋节 is 2027-09-15 (lunar 8/15).
      t.app.get(Clock).travelTo(new Date('2027-09-12T08:00:00+08:00'));
      const lunar = await newClient(ours.butler.token, {
        name: '赵中秋',
        birthday: { date: '1975-08-15', calendar: 'lunar' },
      });
      const solar = await newClient(ours.butler.token, {
        name: '钱九月',
        birthday: { date: '09-13', calendar: 'solar' },
      });
      await newClient(ours.butler.token, { name: '孙太远', birthday: { date: '10-30', calendar: 'solar' } });
      const other = await newClient(theirs.butler.token, {
        name: '李别人',
        birthday: { date: '09-13', calendar: 'solar' },
      });

      const res = await t.as(ours.butler.token).get('/api/v1/care/upcoming?days=7');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ from: '2027-09-12', to: '2027-09-18' });
      const mine = res.body.birthdays.filter((b: { customerId: string }) =>
        [lunar.id, solar.id, other.id].includes(b.customerId),
      );
      expect(mine).toEqual([
        {
          date: '2027-09-13',
          customerId: solar.id,
          customerName: '钱九月',
          butlerId: ours.butler.id,
          tier: 'gold',
          calendar: 'solar',
        },
        {
          date: '2027-09-15',
          customerId: lunar.id,
          customerName: '赵中秋',
          butlerId: ours.butler.id,
          tier: 'gold',
          calendar: 'lunar',
        },
      ]);
      expect(res.body.festivals).toEqual([
        { key: 'mid_autumn', name: '中秋节', date: '2027-09-15', calendar: 'lunar' },
      ]);
      expect((await t.as(ours.butler.token).get('/api/v1/care/upcoming?days=99')).status).toBe(400);
    });
  });

  describe('POST /customers/bulk-assign', () => {
    it('moves several clients at once within the team, audited', async () => {
      const a = await newClient(ours.butler.token);
      const b = await newClient(ours.butler.token);
      const res = await t
        .as(ours.manager.token)
        .post('/api/v1/customers/bulk-assign', { customerIds: [a.id, b.id, a.id], butlerId: ours.colleague.id });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ assigned: 2 });
      const rows = await t.db.query(`SELECT butler_id FROM customers WHERE id = ANY($1)`, [[a.id, b.id]]);
      expect(rows.every((r: { butler_id: string }) => r.butler_id === ours.colleague.id)).toBe(true);
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'assign' AND entity_id = ANY($1)`,
        [[a.id, b.id]],
      );
      expect(n).toBe(2);
    });

    it(
      'moves nothing when one client is out of reach (404), ' +
        'or the butler is not of the team (400), and refuses butlers (403)',
      async () => {
        const mine = await newClient(ours.butler.token);
        const theirsClient = await newClient(theirs.butler.token);
        const outOfReach = await t.as(ours.manager.token).post('/api/v1/customers/bulk-assign', {
          customerIds: [mine.id, theirsClient.id],
          butlerId: ours.colleague.id,
        });
        expect(outOfReach.status).toBe(404);
        expect(
          (
            await t
              .as(ours.manager.token)
              .post('/api/v1/customers/bulk-assign', { customerIds: [mine.id], butlerId: theirs.butler.id })
          ).status,
        ).toBe(400);
        expect(
          (
            await t
              .as(ours.butler.token)
              .post('/api/v1/customers/bulk-assign', { customerIds: [mine.id], butlerId: ours.colleague.id })
          ).status,
        ).toBe(403);
        const bad = await t
          .as(ours.manager.token)
          .post('/api/v1/customers/bulk-assign', { customerIds: ['x'], butlerId: 'y' });
        expect(bad.status).toBe(400);
        expect(bad.body.message.join(' ')).toMatch(/each value in customerIds must be a UUID.*butlerId must be a UUID/);
        const rows = await t.db.query(`SELECT id, butler_id FROM customers WHERE id = ANY($1) ORDER BY id`, [
          [mine.id, theirsClient.id],
        ]);
        expect(Object.fromEntries(rows.map((r: { id: string; butler_id: string }) => [r.id, r.butler_id]))).toEqual({
          [mine.id]: ours.butler.id,
          [theirsClient.id]: theirs.butler.id,
        });
      },
    );
  });

  describe('GET /customers?aroma=', () => {
    it('finds clients whose taste profile weighs the aroma 0.5 or more', async () => {
      const tag = `aroma-${randomUUID().slice(0, 8)}`;
      const fan = await newClient(ours.butler.token, { tags: [tag] });
      const lukewarm = await newClient(ours.butler.token, { tags: [tag] });
      await t
        .as(ours.butler.token)
        .put(`/api/v1/customers/${fan.id}/taste-profile`, { aromas: [{ type: 'qing', weight: 0.8 }] });
      await t.as(ours.butler.token).put(`/api/v1/customers/${lukewarm.id}/taste-profile`, {
        aromas: [
          { type: 'qing', weight: 0.2 },
          { type: 'jiang', weight: 0.9 },
        ],
      });
      const qing = await t.as(ours.butler.token).get(`/api/v1/customers?tag=${tag}&aroma=qing`);
      expect(qing.body.items.map((c: { id: string }) => c.id)).toEqual([fan.id]);
      expect(
        (await t.as(ours.butler.token).get(`/api/v1/customers?tag=${tag}&aroma=jiang`)).body.items.map(
          (c: { id: string }) => c.id,
        ),
      ).toEqual([lukewarm.id]);
      expect((await t.as(ours.butler.token).get('/api/v1/customers?aroma=whisky')).status).toBe(400);
    });
  });

  describe('GET /surveys/responses', () => {
    it('shows answers by the butler they are attributed to: own, team, all; detractors on request', async () => {
      const client = await newClient(ours.butler.token);
      const seed = async (butlerId: string, csat: number, nps: number) => {
        // At the app's time (its Clock), not PostgreSQL's.
        const now = t.app.get(Clock).now();
        const [interaction] = await t.db.query(
          `INSERT INTO interactions (customer_id, butler_id, kind, occurred_at)
            VALUES ($1, $2, 'follow_up', $3) RETURNING id`,
          [client.id, butlerId, now],
        );
        const [invitation] = await t.db.query(
          `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, status, send_at, created_at)
            VALUES ($1, $2, $3, 'follow_up', 'responded', $4, $4) RETURNING id`,
          [client.id, butlerId, interaction.id, now],
        );
        const [response] = await t.db.query(
          `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, responded_at)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [invitation.id, client.id, butlerId, csat, nps, now],
        );
        return response.id as string;
      };
      const low = await seed(ours.butler.id, 2, 3);
      const high = await seed(ours.butler.id, 5, 10);
      const colleagues = await seed(ours.colleague.id, 4, 8);
      // Written as rows: the report summary is brought in line (other files check it has no drift).
      expect((await t.as(admin).post('/api/v1/reports/recompute')).status).toBeLessThan(300);

      // The client's answers go with the client: its butler sees all of them, each still attributed
      // to the butler who made the contact (a colleague who stood in, here); the colleague, whose
      // client it is not, sees none.
      const own = await t.as(ours.butler.token).get(`/api/v1/surveys/responses?customerId=${client.id}`);
      expect(own.status).toBe(200);
      expect(own.body.items.map((r: { id: string }) => r.id).sort()).toEqual([low, high, colleagues].sort());
      expect(own.body.items.find((r: { id: string }) => r.id === colleagues)).toMatchObject({
        customerId: client.id,
        butlerId: ours.colleague.id,
        source: 'follow_up',
      });
      const mine = await t
        .as(ours.butler.token)
        .get(`/api/v1/surveys/responses?customerId=${client.id}&butlerId=${ours.butler.id}`);
      expect(mine.body.items.map((r: { id: string }) => r.id).sort()).toEqual([low, high].sort());
      const detractors = await t
        .as(ours.butler.token)
        .get(`/api/v1/surveys/responses?customerId=${client.id}&detractor=true`);
      expect(detractors.body.items.map((r: { id: string }) => r.id)).toEqual([low]);
      const team = await t.as(ours.manager.token).get(`/api/v1/surveys/responses?customerId=${client.id}`);
      expect(team.body.items).toHaveLength(3);
      expect(
        (await t.as(theirs.manager.token).get(`/api/v1/surveys/responses?customerId=${client.id}`)).body.items,
      ).toEqual([]);
      expect(
        (await t.as(ours.colleague.token).get(`/api/v1/surveys/responses?customerId=${client.id}`)).body.items,
      ).toEqual([]);
      expect(
        (await t.as(admin).get(`/api/v1/surveys/responses?customerId=${client.id}&limit=2`)).body.nextCursor,
      ).not.toBeNull();
    });
  });
});
