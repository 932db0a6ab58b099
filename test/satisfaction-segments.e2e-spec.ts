import { DataSource } from 'typeorm';

import { Clock } from '@app/common';
import { SatisfactionStatsService } from '@app/surveys';

import { MailProcessor } from '../libs/mail/src/mail.processor';
import { customerBody, Team, twoTeams } from './support/factories';
import { surveyFlow } from './support/fake-sms-app';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, TestApp } from './support/test-app';

interface Group {
  key: string;
  label: string;
  region: string | null;
  responses: number;
  invitations: number;
  responseRate: number | null;
  csatPercent: number | null;
  csatMean: number | null;
  nps: number | null;
  servqual: Record<string, number | null>;
  expectations: Record<string, number | null>;
  gaps: Record<string, number | null>;
  suppressed: boolean;
}

// Satisfaction by client group (issue 18, "Segments"): each invitation sent and each answer recorded
// is counted, in its own transaction, under the client's tier, city, gender, age band, aroma and RFM
// segment as they were then, the butler, their team and the channel; a manager reads their team's
// groups, an admin every team's; small groups are suppressed.
describe('satisfaction by client group', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  const MARCH = 'from=2031-03-01&to=2031-03-31';

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    await t.app.get(MailProcessor).worker.pause(true);
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(new Date('2031-03-10T10:00:00+08:00'));
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
    await sink.stop();
  });

  const report = async (token: string, query: string): Promise<{ status: number; body: Record<string, unknown> }> =>
    t.as(token).get(`/api/v1/reports/satisfaction?${query}`);
  const groups = async (token: string, query: string): Promise<Map<string, Group>> => {
    const res = await report(token, query);
    expect(res.status).toBe(200);
    return new Map((res.body.items as Group[]).map((g) => [g.key, g]));
  };

  it('groups answers by tier, age, city, team and segment, frozen when given; small groups suppressed', async () => {
    // The team's region, set by the admin; a butler has none.
    const region = await t.as(admin).patch(`/api/v1/users/${ours.manager.id}`, { region: '西南' });
    expect(region.status).toBe(200);
    expect(region.body.region).toBe('西南');
    const refused = await t.as(admin).patch(`/api/v1/users/${ours.butler.id}`, { region: '华东' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('region');

    const flow = surveyFlow(t, ours);
    const answered = async (body: Record<string, unknown>, answers: string | null): Promise<string> => {
      const client = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody(body))).body as {
        id: string;
        email: string;
      };
      await flow.send(await flow.invite(client.id));
      if (answers !== null) await flow.answer(flow.tokenIn(sink.to(client.email)[0].parsed.text ?? ''), answers);
      return client.id;
    };
    // Five gold clients in 成都, born 1970 (60 when they answer in 2031): CSAT 5, 5, 4, 3, 2.
    const scores = [5, 5, 4, 3, 2];
    const gold: string[] = [];
    for (const [i, csat] of scores.entries())
      gold.push(
        await answered(
          { tier: 'gold', city: '成都', birthday: { date: '1975-08-15', calendar: 'solar' } },
          `csat=${csat}&nps=${[10, 9, 8, 6, 3][i]}&reliability=${csat}&empathy=4`,
        ),
      );
    // One silver client in 上海 answers, another is invited and never answers.
    await answered({ tier: 'silver', city: '上海', gender: 'female', birthday: null }, 'csat=5&nps=10');
    await answered({ tier: 'silver', city: '上海', gender: 'female', birthday: null }, null);
    // The first gold client moves to black afterwards: the answer stays under gold.
    expect((await t.as(ours.butler.token).patch(`/api/v1/customers/${gold[0]}`, { tier: 'black' })).status).toBe(200);

    const tiers = await groups(ours.manager.token, `groupBy=tier&${MARCH}`);
    expect(tiers.get('gold')).toMatchObject({
      label: '黄金',
      responses: 5,
      invitations: 5,
      responseRate: 1,
      csatPercent: 60,
      csatMean: 3.8,
      // 2 promoters (10, 9), 2 detractors (6, 3) of 5.
      nps: 0,
      suppressed: false,
    });
    expect(tiers.get('gold')!.servqual).toMatchObject({ reliability: 3.8, empathy: 4, tangibles: null });
    expect(tiers.get('gold')!.gaps.reliability).toBeNull();
    // Fewer than five answers: the counts, no figures (the console's 样本不足).
    expect(tiers.get('silver')).toMatchObject({
      responses: 1,
      invitations: 2,
      responseRate: 0.5,
      csatPercent: null,
      nps: null,
      suppressed: true,
    });
    expect(tiers.get('black')).toMatchObject({ responses: 0, suppressed: true });

    // The same figures whatever mix of monthly and daily rows the period reads.
    for (const period of [
      'from=2031-03-10&to=2031-03-10',
      'from=2031-02-15&to=2031-04-30',
      'from=2031-03-05&to=2031-04-20',
    ])
      expect((await groups(ours.manager.token, `groupBy=tier&${period}`)).get('gold')).toMatchObject({
        responses: 5,
        csatMean: 3.8,
      });
    expect((await groups(ours.manager.token, 'groupBy=tier&from=2031-04-01&to=2031-04-30')).get('gold')).toMatchObject({
      responses: 0,
    });

    const ages = await groups(ours.manager.token, `groupBy=ageBand&${MARCH}`);
    expect(ages.get('50s')).toMatchObject({ label: '50–59 岁', responses: 5 });
    expect(ages.get('')).toMatchObject({ label: '未填写', responses: 1, invitations: 2 });
    const cities = await groups(ours.manager.token, `groupBy=city&${MARCH}`);
    expect([...cities.values()].map((g) => [g.label, g.responses])).toEqual([
      ['成都', 5],
      ['上海', 1],
    ]);
    const segments = await groups(ours.manager.token, `groupBy=segment&${MARCH}`);
    // None of them has bought yet.
    expect(segments.get('new')).toMatchObject({ label: '新客户', responses: 6 });

    const teams = await report(ours.manager.token, `groupBy=team&${MARCH}`);
    expect(teams.body.items).toEqual([
      expect.objectContaining({ key: ours.manager.id, region: '西南', responses: 6, invitations: 7 }),
    ]);
    expect(teams.body.total).toMatchObject({ responses: 6, invitations: 7, csatPercent: 66.7 });
    // The scorecard's team roll-up: the team's butlers added up.
    const scorecard = await t.as(ours.manager.token).get(`/api/v1/reports/butlers?${MARCH}`);
    expect(scorecard.body.teams).toEqual([
      expect.objectContaining({
        teamId: ours.manager.id,
        teamName: expect.any(String),
        region: '西南',
        butlers: 2,
        responses: 6,
        invitations: 7,
        csatPercent: 66.7,
      }),
    ]);
    const butlers = await groups(ours.manager.token, `groupBy=butler&${MARCH}`);
    expect(butlers.get(ours.butler.id)).toMatchObject({ responses: 6 });
    expect(butlers.has(theirs.butler.id)).toBe(false);

    // The other team's manager sees their own groups only; the admin sees both teams.
    expect((await groups(theirs.manager.token, `groupBy=tier&${MARCH}`)).get('gold')).toMatchObject({ responses: 0 });
    const all = await groups(admin, `groupBy=team&${MARCH}`);
    expect(all.get(ours.manager.id)).toMatchObject({ responses: 6, region: '西南' });
    expect(all.get(theirs.manager.id)).toMatchObject({ responses: 0 });

    // Relationship figures are kept apart: none until relationship answers are counted.
    const relationship = await report(ours.manager.token, `groupBy=tier&kind=relationship&${MARCH}`);
    expect(relationship.body.kind).toBe('relationship');
    expect((relationship.body.items as Group[]).every((g) => g.responses === 0)).toBe(true);
  });

  it('counts relationship answers with their expectations through the surveys library, apart', async () => {
    // What the relationship programs do per answer (docs/segments.md): here five of the answers above.
    const rows: { id: string; reliability: number }[] = await t.db.query(
      `SELECT id, reliability FROM survey_responses WHERE butler_id = $1 AND reliability IS NOT NULL ORDER BY id`,
      [ours.butler.id],
    );
    expect(rows).toHaveLength(5);
    const add = () =>
      t.app.get(DataSource).transaction((em) =>
        t.app.get(SatisfactionStatsService).addResponses(
          em,
          'relationship',
          rows.map((r) => ({ id: r.id, expectations: { reliability: 5, empathy: 5 } })),
        ),
      );
    // An answer is counted under its own kind only: contact-survey answers never enter rNPS.
    await add();
    const before = (await groups(ours.manager.token, `groupBy=city&kind=relationship&${MARCH}`)).get('成都');
    expect(before?.responses ?? 0).toBe(0);
    // As a program's answers (test/survey-programs.e2e-spec.ts sends real ones): recorded with their kind.
    await t.db.query(`UPDATE survey_responses SET kind = 'relationship' WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
    await add();
    // Counted under the clients' groups as they are now: 成都 all five, the tiers 4 gold and 1 black.
    const chengdu = (await groups(ours.manager.token, `groupBy=city&kind=relationship&${MARCH}`)).get('成都')!;
    expect(chengdu).toMatchObject({ responses: 5, csatMean: 3.8 });
    expect(chengdu.expectations).toMatchObject({ reliability: 5, empathy: 5, assurance: null });
    expect(chengdu.gaps).toMatchObject({ reliability: -1.2, empathy: -1, assurance: null });
    const tiers = await groups(ours.manager.token, `groupBy=tier&kind=relationship&${MARCH}`);
    expect([tiers.get('gold')?.responses, tiers.get('black')?.responses]).toEqual([4, 1]);
    // The transactional figures are unchanged.
    expect((await groups(ours.manager.token, `groupBy=tier&${MARCH}`)).get('gold')).toMatchObject({ responses: 5 });
  });

  it('refuses bad input with a 400 naming the field, and butlers', async () => {
    const bad = async (query: string, field: string): Promise<void> => {
      const res = await report(ours.manager.token, query);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    };
    await bad('groupBy=province', 'groupBy');
    await bad('from=2031-01-01&to=2031-01-31', 'groupBy');
    await bad('groupBy=tier&kind=annual', 'kind');
    await bad('groupBy=tier&from=2031-03-10&to=2031-03-01', 'from');
    await bad('groupBy=tier&from=2029-01-01&to=2031-01-02', 'to');
    expect((await report(ours.manager.token, 'groupBy=tier&from=2029-01-01&to=2030-12-31')).status).toBe(200);
    expect((await report(ours.butler.token, `groupBy=tier&${MARCH}`)).status).toBe(403);
  });
});
