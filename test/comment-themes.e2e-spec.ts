import { CommentThemesService } from '@app/comment-themes';
import { Clock } from '@app/common';

import { customerBody, Member, Team, twoTeams } from './support/factories';
import { answerAfterCall } from './support/surveys';
import { bootApp, eventually, TestApp } from './support/test-app';

// What the comments say (issue 18): the tagger over HTTP, for managers and admins.
describe('comment themes', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  const ANALYZE = '/api/v1/reports/comment-themes/analyze';
  const THEMES = '/api/v1/reports/comment-themes';
  const DAY = '?from=2027-04-01&to=2027-04-30';

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(new Date('2027-04-10T10:00:00+08:00'));
  });
  afterAll(() => clock.reset());

  const newClient = async (butler: Member) =>
    (await t.as(butler.token).post('/api/v1/customers', customerBody())).body as { id: string; name: string };

  // A butler's reached call invites a survey, and the client answers with a comment.
  const answer = (butler: Member, customerId: string, comment: string) =>
    answerAfterCall(t, butler, customerId, `csat=4&nps=8&comment=${encodeURIComponent(comment)}`, clock.now());
  const themesOf = (source: string, id: string) =>
    t.db.query(
      `SELECT theme AS key, polarity, corrected_by IS NOT NULL AS corrected
         FROM comment_themes WHERE source = $1 AND source_id = $2 ORDER BY theme`,
      [source, id],
    );

  it('tags a survey comment as it is answered and a case summary as it is written', async () => {
    const client = await newClient(ours.butler);
    const responseId = await answer(ours.butler, client.id, '酒很顺口，就是快递太慢了');
    expect(
      await eventually(
        () => themesOf('survey', responseId),
        (rows) => rows.length > 0,
      ),
    ).toEqual([
      { key: 'delivery', polarity: 'negative', corrected: false },
      { key: 'taste', polarity: 'positive', corrected: false },
    ]);
    const opened = await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'quality',
      channel: 'phone',
      summary: '客户反映礼盒封口渗漏',
    });
    expect(opened.status).toBe(201);
    expect(await themesOf('case', opened.body.id)).toEqual([
      { key: 'packaging', polarity: 'negative', corrected: false },
    ]);
    // An edited summary is read again.
    await t
      .as(ours.butler.token)
      .patch(`/api/v1/cases/${opened.body.id}`, { summary: '客户担心是假酒，防伪码扫不出来' });
    expect(await themesOf('case', opened.body.id)).toEqual([
      { key: 'authenticity', polarity: 'negative', corrected: false },
    ]);
  });

  it('counts the themes per butler with two quotes each, for the team that may see them', async () => {
    const butler = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id, name: '主题管家' });
    const comments = ['物流太慢了', '快递送得很慢，等了一周才到', '顺丰第二天就到了', '管家很热情'];
    for (const comment of comments) await answer(butler, (await newClient(butler)).id, comment);
    await eventually(
      async () =>
        (await t.db.query(`SELECT count(*)::int AS n FROM comment_themes WHERE butler_id = $1`, [butler.id]))[0].n,
      (n) => n >= 4,
    );
    const res = await t.as(ours.manager.token).get(`${THEMES}${DAY}&groupBy=butler`);
    expect(res.status).toBe(200);
    const mine = (res.body.items as { groupId: string; theme: string }[]).filter((x) => x.groupId === butler.id);
    expect(mine).toEqual([
      expect.objectContaining({
        groupName: '主题管家',
        theme: 'delivery',
        positive: 1,
        negative: 2,
        neutral: 0,
        total: 3,
        quotes: [
          expect.objectContaining({ polarity: 'negative', text: expect.stringMatching(/慢/), source: 'survey' }),
          expect.objectContaining({ polarity: 'negative', text: expect.stringMatching(/慢/) }),
        ],
      }),
      expect.objectContaining({ theme: 'attitude', positive: 1, total: 1 }),
    ]);
    // Another team's manager sees none of it; a butler may not ask.
    const other = await t.as(theirs.manager.token).get(`${THEMES}${DAY}&groupBy=butler`);
    expect(JSON.stringify(other.body)).not.toContain(butler.id);
    expect(JSON.stringify(other.body)).not.toContain('等了一周');
    expect((await t.as(butler.token).get(THEMES)).status).toBe(403);
    // Bad periods and groups: 400 naming the field.
    for (const [query, field] of [
      ['?groupBy=city', 'groupBy'],
      ['?from=2027-05-01&to=2027-04-01', 'from'],
      ['?from=2020-01-01&to=2027-04-01', 'to'],
    ]) {
      const bad = await t.as(ours.manager.token).get(`${THEMES}${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });

  it('keeps a manager’s correction of a comment’s themes, audited; another team’s manager gets 404', async () => {
    const client = await newClient(ours.butler);
    const opened = await t
      .as(ours.butler.token)
      .post('/api/v1/cases', { customerId: client.id, type: 'quality', channel: 'phone', summary: '瓶子有点问题' });
    const url = `${THEMES}/${opened.body.id}`;
    const themes = [
      { key: 'packaging', polarity: 'negative' },
      { key: 'taste', polarity: 'neutral' },
    ];
    expect((await t.as(theirs.manager.token).put(url, { themes })).status).toBe(404);
    expect((await t.as(ours.butler.token).put(url, { themes })).status).toBe(403);
    for (const bad of [
      { themes: [] },
      {
        themes: [
          { key: 'packaging', polarity: 'negative' },
          { key: 'packaging', polarity: 'positive' },
        ],
      },
      {
        themes: [
          { key: 'other', polarity: 'neutral' },
          { key: 'price', polarity: 'negative' },
        ],
      },
      { themes: [{ key: 'weather', polarity: 'negative' }] },
      { themes: [{ key: 'price', polarity: 'angry' }] },
      { themes: [[]] },
    ]) {
      const res = await t.as(ours.manager.token).put(url, bad);
      expect(res.status).toBe(400);
      expect(res.body.fields[0].field).toMatch(/^themes/);
    }
    expect((await t.as(ours.manager.token).put(`${THEMES}/not-an-id`, { themes })).status).toBe(400);
    expect((await t.as(ours.manager.token).put(`${THEMES}/${client.id}`, { themes })).status).toBe(404);
    const corrected = await t.as(ours.manager.token).put(url, { themes });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ source: 'case', corrected: true });
    expect(corrected.body.themes).toEqual([
      { key: 'packaging', polarity: 'negative' },
      { key: 'taste', polarity: 'neutral' },
    ]);
    // The summary edited afterwards, the nightly sweep: the correction stays.
    await t.as(ours.butler.token).patch(`/api/v1/cases/${opened.body.id}`, { summary: '物流太慢' });
    await t.app.get(CommentThemesService).sweep();
    expect(await themesOf('case', opened.body.id)).toEqual([
      { key: 'packaging', polarity: 'negative', corrected: true },
      { key: 'taste', polarity: 'neutral', corrected: true },
    ]);
    const [audit] = await t.db.query(
      `SELECT actor_id FROM audit_log WHERE entity_type = 'comment_themes' AND entity_id = $1`,
      [opened.body.id],
    );
    expect(audit.actor_id).toBe(ours.manager.id);
  });

  it('tags in the nightly sweep what was never tagged', async () => {
    const client = await newClient(ours.butler);
    const responseId = await answer(ours.butler, client.id, '价格太贵了');
    await eventually(
      () => themesOf('survey', responseId),
      (rows) => rows.length > 0,
    );
    await t.db.query(`DELETE FROM comment_themes WHERE source = 'survey' AND source_id = $1`, [responseId]);
    expect(await t.app.get(CommentThemesService).sweep()).toBeGreaterThanOrEqual(1);
    expect(await themesOf('survey', responseId)).toEqual([{ key: 'price', polarity: 'negative', corrected: false }]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('tags each text with its themes and the client’s stance on each, in order', async () => {
    const res = await t.as(ours.manager.token).post(ANALYZE, {
      texts: ['酒很顺口，一点也不辣喉，就是物流太慢了', '希望多办几场品鉴会', '挺好的', ''],
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        themes: [
          { key: 'taste', polarity: 'positive' },
          { key: 'delivery', polarity: 'negative' },
        ],
      },
      { themes: [{ key: 'event', polarity: 'neutral' }] },
      { themes: [{ key: 'other', polarity: 'positive' }] },
      { themes: [{ key: 'other', polarity: 'neutral' }] },
    ]);
    expect((await t.as(admin).post(ANALYZE, { texts: ['管家态度很差'] })).body.items[0].themes).toEqual([
      { key: 'attitude', polarity: 'negative' },
    ]);
  });

  it('refuses more than 100 texts, a text over 2,000 characters and a missing list, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ texts: Array.from({ length: 101 }, () => '好') }, 'texts'],
      [{ texts: ['好', '酒'.repeat(2001)] }, 'texts'],
      [{ texts: [] }, 'texts'],
      [{ texts: ['好', 3] }, 'texts'],
      [{}, 'texts'],
      [{ texts: ['好'], extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t.as(ours.manager.token).post(ANALYZE, body as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });

  it('is for managers and admins: a butler gets 403', async () => {
    expect((await t.as(ours.butler.token).post(ANALYZE, { texts: ['好'] })).status).toBe(403);
  });
});
