import { randomInt } from 'node:crypto';

import { parse } from 'csv-parse/sync';

import { Clock } from '@app/common';

import { customerBody, Member, Team } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { mailedSurveyToken, postSurveyForm } from './support/surveys';
import { bootApp, eventually, HttpResult, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The butler's own phone: a browser and a carrier's public address.
const BUTLER_PHONE = {
  ua:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/4G Language/zh_CN',
  ip: '117.136.12.5',
};
const CLIENT_PHONE = {
  ua: 'Mozilla/5.0 (Linux; Android 14; V2303A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari',
  ip: '223.104.63.18',
};

// Ratings you can trust (issue 18, part 5): the outside test's self-rating, reproduced. A butler
// points a client's email to his own inbox, completes a contact at once and answers the survey from
// his own signed-in phone: the answer is flagged with its three reasons, his scorecard does not
// move, and a manager who checked with the client can clear it (audited) so it counts again.
describe('rating integrity', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let clock: Clock;

  const freshTeam = async (): Promise<Team> => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    return { manager, butler, colleague };
  };

  // A sign-in from a device: the session the survey answer is compared with.
  const signInFrom = async (member: Member, device: { ua: string; ip: string }): Promise<string> => {
    const res = await request(t.app, 'POST', '/api/v1/auth/login', {
      body: { email: member.email, password: 'password-123' },
      headers: { 'user-agent': device.ua },
      remoteAddress: device.ip,
    });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };

  const answer = (token: string, form: string, device: { ua: string; ip: string }): Promise<HttpResult> =>
    postSurveyForm(t, token, form, device);

  // A follow-up the butler plans (due in `dueIn`) and completes at once.
  const completeFollowUp = async (butler: string, customerId: string, butlerId: string, dueIn: number) => {
    const created = await t.as(butler).post('/api/v1/follow-ups', {
      customerId,
      butlerId,
      dueAt: new Date(clock.now().getTime() + dueIn).toISOString(),
      kind: 'manual',
    });
    expect(created.status).toBe(201);
    const done = await t
      .as(butler)
      .post(`/api/v1/follow-ups/${created.body.id}/complete`, { outcome: 'reached', channel: 'phone', note: '已回访' });
    expect(done.status).toBe(200);
    expect(done.body.survey.invited).toBe(true);
  };

  const invitationLink = (email: string): Promise<string> => mailedSurveyToken(t, sink, email);

  // The 可信度标记 cell of one answer in the manager's CSV export of survey responses.
  const exportedIntegrity = async (token: string, responseId: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/exports/survey-responses?format=csv',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parse(res.rawPayload, { bom: true }) as string[][];
    const row = rows.find((r) => r[header.indexOf('回复编号')] === responseId);
    return row![header.indexOf('可信度标记')];
  };

  const scorecard = async (token: string, butlerId: string) => {
    const res = await t.as(token).get('/api/v1/reports/butlers');
    expect(res.status).toBe(200);
    return (res.body.items as Record<string, unknown>[]).find((i) => i.butlerId === butlerId)!;
  };

  // The butler's answers in the satisfaction report by group (default period, as the scorecard's).
  const segmentResponses = async (token: string, butlerId: string): Promise<number> => {
    const res = await t.as(token).get('/api/v1/reports/satisfaction?groupBy=butler');
    expect(res.status).toBe(200);
    const group = (res.body.items as { key: string; responses: number }[]).find((i) => i.key === butlerId);
    return group?.responses ?? 0;
  };

  const recomputeDrift = async (): Promise<number> => {
    const res = await t.as(admin).post('/api/v1/reports/recompute');
    expect(res.status).toBe(200);
    return res.body.driftedRows as number;
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    admin = await t.adminToken();
    clock = t.app.get(Clock);
    await recomputeDrift();
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('flags a self-rating with its three reasons, keeps it out of the scorecard, counts it once cleared', async () => {
    const team = await freshTeam();
    // A client the manager registered, with the client's own address.
    const created = await t
      .as(team.manager.token)
      .post(
        '/api/v1/customers',
        customerBody({ butlerId: team.butler.id, email: `client-${randomInt(0, 1e9)}@example.com` }),
      );
    expect(created.status).toBe(201);
    const client = created.body as { id: string };
    const before = await scorecard(team.manager.token, team.butler.id);
    expect(before).toMatchObject({ responses: 0, csatPercent: null, nps: null, flaggedResponses: 0 });

    // The attack: signed in on his phone, he points the client's email to his own inbox…
    const session = await signInFrom(team.butler, BUTLER_PHONE);
    const inbox = `butler-own-${randomInt(0, 1e9)}@example.com`;
    expect((await t.as(session).patch(`/api/v1/customers/${client.id}`, { email: inbox })).status).toBe(200);
    // … completes a follow-up due in a week at once, and answers the survey himself.
    await completeFollowUp(session, client.id, team.butler.id, 7 * DAY);
    const token = await invitationLink(inbox);
    const page = await answer(
      token,
      'csat=5&nps=10&reliability=5&empathy=5&comment=管家非常专业，服务特别周到',
      BUTLER_PHONE,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('感谢您的评价');

    // Flagged, with the reasons a manager reads.
    const flagged = await t
      .as(team.manager.token)
      .get(`/api/v1/surveys/responses?butlerId=${team.butler.id}&flagged=true`);
    expect(flagged.status).toBe(200);
    expect(flagged.body.items).toHaveLength(1);
    const [item] = flagged.body.items;
    expect(item.integrity.flagged).toBe(true);
    expect(item.integrity.reasons.map((r: { code: string }) => r.code)).toEqual([
      'address_changed',
      'early_completion',
      'butler_origin',
    ]);
    const texts = item.integrity.reasons.map((r: { text: string }) => r.text).join('\n');
    expect(texts).toContain('问卷发送的邮箱于');
    expect(texts).toContain('由被评管家本人修改');
    expect(texts).toMatch(/提前 1\d\d 小时/);
    expect(texts).toContain('答卷所用的网络地址和浏览器与被评管家近期登录时相同');
    // Nothing of the address or the browser is stored, only keyed hashes.
    const [stored] = await t.db.query(
      `SELECT encode(answer_ip_hash, 'hex') AS ip, encode(answer_ua_hash, 'hex') AS ua
         FROM survey_responses WHERE id = $1`,
      [item.id],
    );
    expect(stored.ip).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain('117');

    // His scorecard is as it was: no answer counted, the held-out one shown apart.
    expect(await scorecard(team.manager.token, team.butler.id)).toMatchObject({
      responses: 0,
      csatPercent: null,
      nps: null,
      rankScore: null,
      flaggedResponses: 1,
    });
    expect(await recomputeDrift()).toBe(0);
    // Nor does the report by client group count it.
    expect(await segmentResponses(team.manager.token, team.butler.id)).toBe(0);
    // The manager's export says why, in the 可信度标记 column.
    expect(await exportedIntegrity(team.manager.token, item.id)).toMatch(
      /^可疑：问卷发送的邮箱于 .+由被评管家本人修改.*；回访应于 .+；答卷所用的网络地址和浏览器与被评管家近期登录时相同$/,
    );

    // The butler sees his answers but not the flag, and may not clear it.
    const own = await t.as(team.butler.token).get('/api/v1/surveys/responses');
    expect(own.body.items[0]).toMatchObject({ id: item.id, integrity: null });
    const byButler = await t.as(team.butler.token).post(`/api/v1/surveys/responses/${item.id}/clear-flag`, {
      note: '是客户本人填的',
    });
    expect(byButler.status).toBe(403);
    // Another team's manager does not reach it.
    const other = await freshTeam();
    const outside = await t.as(other.manager.token).post(`/api/v1/surveys/responses/${item.id}/clear-flag`, {
      note: '已核实',
    });
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('SURVEY_RESPONSE_NOT_FOUND');

    // The manager called the client, who confirms: the flag is cleared (audited) and it counts.
    const cleared = await t.as(team.manager.token).post(`/api/v1/surveys/responses/${item.id}/clear-flag`, {
      note: '已电话联系客户本人，确认为其本人填写',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.integrity).toMatchObject({ flagged: false, clearNote: '已电话联系客户本人，确认为其本人填写' });
    expect(cleared.body.integrity.reasons).toHaveLength(3);
    expect(cleared.body.integrity.clearedByName).toBeTruthy();
    expect(await scorecard(team.manager.token, team.butler.id)).toMatchObject({
      responses: 1,
      csatPercent: 100,
      nps: 100,
      flaggedResponses: 0,
    });
    expect(await recomputeDrift()).toBe(0);
    const [audit] = await t.db.query(
      `SELECT actor_id, changes FROM audit_log WHERE entity_type = 'survey_response' AND entity_id = $1`,
      [item.id],
    );
    expect(audit.actor_id).toBe(team.manager.id);
    expect(audit.changes).toMatchObject({
      flagged: { from: true, to: false },
      note: '已电话联系客户本人，确认为其本人填写',
    });
    const again = await t.as(team.manager.token).post(`/api/v1/surveys/responses/${item.id}/clear-flag`, {
      note: '再次确认',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INTEGRITY_NOT_FLAGGED');
    expect(await exportedIntegrity(team.manager.token, item.id)).toMatch(/^已解除：问卷发送的邮箱/);
    expect(await segmentResponses(team.manager.token, team.butler.id)).toBe(1);
  });

  it("leaves a client's own answer to an ordinary contact unflagged, and each reason stands alone", async () => {
    const team = await freshTeam();
    await signInFrom(team.butler, BUTLER_PHONE);
    const genuine = (await t.as(team.butler.token).post('/api/v1/customers', customerBody())).body as {
      id: string;
      email: string;
    };
    // A new client the butler registered, a follow-up due within the hour, answered on the client's phone.
    await completeFollowUp(team.butler.token, genuine.id, team.butler.id, HOUR);
    const token = await invitationLink(genuine.email);
    expect((await answer(token, 'csat=4&nps=8&comment=物流太慢了，等了一周才到', CLIENT_PHONE)).status).toBe(200);

    // The same, but answered in the butler's browser on another network: the browser alone flags it.
    const second = (await t.as(team.butler.token).post('/api/v1/customers', customerBody())).body as {
      id: string;
      email: string;
    };
    await completeFollowUp(team.butler.token, second.id, team.butler.id, HOUR);
    const secondToken = await invitationLink(second.email);
    expect((await answer(secondToken, 'csat=5', { ua: BUTLER_PHONE.ua, ip: CLIENT_PHONE.ip })).status).toBe(200);

    const list = await t.as(team.manager.token).get(`/api/v1/surveys/responses?butlerId=${team.butler.id}`);
    const byClient = new Map(list.body.items.map((i: { customerId: string }) => [i.customerId, i]));
    expect(byClient.get(genuine.id)).toMatchObject({ integrity: { flagged: false, reasons: [] } });
    expect(byClient.get(second.id)).toMatchObject({
      integrity: {
        flagged: true,
        reasons: [{ code: 'butler_origin', text: '答卷所用的浏览器与被评管家近期登录时相同' }],
      },
    });
    expect(await scorecard(team.manager.token, team.butler.id)).toMatchObject({
      responses: 1,
      csatPercent: 100,
      flaggedResponses: 1,
    });
    const unflagged = await t
      .as(team.manager.token)
      .get(`/api/v1/surveys/responses?butlerId=${team.butler.id}&flagged=false`);
    expect(unflagged.body.items.map((i: { customerId: string }) => i.customerId)).toEqual([genuine.id]);

    // The theme filter: the genuine answer's comment is a delivery complaint.
    const themed = await eventually(
      async () =>
        (
          await t
            .as(team.manager.token)
            .get(`/api/v1/surveys/responses?butlerId=${team.butler.id}&theme=delivery&polarity=negative`)
        ).body.items as { customerId: string; themes: { key: string; polarity: string }[] }[],
      (items) => items.length === 1,
    );
    expect(themed[0].customerId).toBe(genuine.id);
    expect(themed[0].themes).toContainEqual({ key: 'delivery', polarity: 'negative' });
    const taste = await t
      .as(team.manager.token)
      .get(`/api/v1/surveys/responses?butlerId=${team.butler.id}&theme=taste`);
    expect(taste.body.items).toEqual([]);
    const bad = await t.as(team.manager.token).get('/api/v1/surveys/responses?theme=weather&polarity=angry');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['polarity', 'theme']);
  });

  it('reads its windows from the settings and refuses values outside them', async () => {
    const current = await t.as(admin).get('/api/v1/settings');
    expect(current.body.surveys).toMatchObject({
      addressChangeDays: 14,
      earlyCompletionHours: 72,
      sessionLookbackDays: 14,
    });
    const bad = await t
      .as(admin)
      .patch('/api/v1/settings', { surveys: { addressChangeDays: -1, earlyCompletionHours: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'surveys.addressChangeDays',
      'surveys.earlyCompletionHours',
    ]);
  });
});
