import { createHash, randomBytes, randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { SurveyDispatcher } from '@app/surveys';

import { customerBody, Member, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, HttpResult, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;

describe('surveys: invitation, survey page, closed loop and reports', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;

  // Each survey request comes from its own address so the per-IP limit only bites where a test
  // means it to.
  const randomIp = (): string => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
  const page = (method: 'GET' | 'POST', token: string, form?: string, ip = randomIp()): Promise<HttpResult> =>
    request(t.app, method, `/s/${token}`, {
      body: form,
      headers: form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: ip,
    });

  const newClient = async (butler: Member, overrides: Record<string, unknown> = {}) =>
    (
      await t
        .as(butler.token)
        .post('/api/v1/customers', customerBody({ email: `survey-${randomInt(0, 1e9)}@example.com`, ...overrides }))
    ).body as {
      id: string;
      email: string;
      name: string;
    };

  // A manager assigns a follow-up and the butler completes it: the contact that is surveyed.
  const completeFollowUp = async (team: Team, butler: Member, customerId: string) => {
    const created = await t.as(team.manager.token).post('/api/v1/follow-ups', {
      customerId,
      butlerId: butler.id,
      dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
      kind: 'manual',
    });
    expect(created.status).toBe(201);
    const done = await t.as(butler.token).post(`/api/v1/follow-ups/${created.body.id}/complete`, {
      outcome: 'reached',
      channel: 'phone',
      note: '已开瓶，很满意',
    });
    expect(done.status).toBe(200);
    return done.body as { survey: { invited: boolean; sendAt?: string; reason?: string } };
  };

  // From the contact to the link in the client's mailbox: the delay passes, the dispatcher runs,
  // the worker sends.
  const invitationLink = async (email: string): Promise<string> => {
    clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
    await t.app.get(SurveyDispatcher).dispatchDue();
    const [mail] = await eventually(
      async () => sink.to(email),
      (m) => m.length > 0,
      20_000,
    );
    const match = /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '');
    expect(match).not.toBeNull();
    // The sender stores the token's hash in the transaction that marks the email sent, which
    // commits just after the SMTP server took it: a test is faster than a client's thumb.
    const hash = createHash('sha256').update(match![1]).digest();
    await eventually(
      async () => (await t.db.query(`SELECT status FROM survey_invitations WHERE token_hash = $1`, [hash]))[0]?.status,
      (s) => s === 'sent',
    );
    return match![1];
  };

  const surveyed = async (team: Team, butler: Member) => {
    const client = await newClient(butler);
    await completeFollowUp(team, butler, client.id);
    return { client, token: await invitationLink(client.email) };
  };

  const reportOf = async (token: string, butlerId: string) => {
    const res = await t.as(token).get('/api/v1/reports/butlers');
    expect(res.status).toBe(200);
    return (res.body.items as { butlerId: string }[]).find((i) => i.butlerId === butlerId) as
      Record<string, unknown> | undefined;
  };

  const freshTeam = async (): Promise<Team> => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id });
    return { manager, butler, colleague };
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    // The survey summary is shared with every test file, and some write survey rows directly: repair
    // what they left out of step, so the drift this file checks for is its own.
    expect((await t.as(admin).post('/api/v1/reports/recompute')).status).toBe(200);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it(
    'completing a follow-up invites the client 2 hours later; ' +
      'the link opens a Chinese form; the answer lands in the butler report',
    async () => {
      const team = await freshTeam();
      const client = await newClient(team.butler);
      const done = await completeFollowUp(team, team.butler, client.id);
      expect(done.survey.invited).toBe(true);
      expect(new Date(done.survey.sendAt!).getTime() - clock.now().getTime()).toBeGreaterThan(2 * HOUR - 5_000);

      // Not before the delay (other test files' invitations may be due: only ours is looked at).
      await t.app.get(SurveyDispatcher).dispatchDue();
      expect(
        (await t.db.query(`SELECT status FROM survey_invitations WHERE customer_id = $1`, [client.id]))[0].status,
      ).toBe('scheduled');
      expect(sink.to(client.email)).toHaveLength(0);

      const token = await invitationLink(client.email);
      const [mail] = sink.to(client.email);
      expect(mail.parsed.subject).toContain('服务的评价');
      expect(mail.parsed.text).toContain('您的专属管家');
      expect(mail.parsed.text).toContain('感谢您接听我的回访');
      expect(mail.parsed.text).not.toContain('您您');
      // The link is a button in the HTML part, not only text.
      expect(mail.parsed.html).toMatch(new RegExp(`<a href="[^"]*/s/${token}"[^>]*>立即评价</a>`));

      // Only the hash is stored: no row anywhere holds the token itself.
      const [invitation] = await t.db.query(
        `SELECT status, token_hash, butler_id, expires_at, sent_at FROM survey_invitations WHERE customer_id = $1`,
        [client.id],
      );
      expect(invitation.status).toBe('sent');
      expect(Buffer.compare(invitation.token_hash, createHash('sha256').update(token).digest())).toBe(0);
      expect(invitation.butler_id).toBe(team.butler.id);
      expect(invitation.expires_at.getTime() - invitation.sent_at.getTime()).toBe(14 * 24 * HOUR);
      const [leak] = await t.db.query(
        `SELECT count(*)::int AS n FROM messages
          WHERE customer_id = $1 AND (context::text LIKE $2 OR body_text LIKE $2)`,
        [client.id, `%${token}%`],
      );
      expect(leak.n).toBe(0);

      const form = await page('GET', token);
      expect(form.status).toBe(200);
      expect(form.headers['content-type']).toContain('text/html');
      expect(form.text).toContain('您有多大可能向朋友推荐');
      for (const label of ['可靠性', '响应性', '保证性', '同理性', '有形性']) expect(form.text).toContain(label);
      expect(form.text).toContain('<legend>');

      const sent = await page(
        'POST',
        token,
        'csat=5&nps=9&reliability=5&responsiveness=4&assurance=5&empathy=5&tangibles=4&comment=%E5%BE%88%E5%A5%BD',
      );
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('感谢您的评价');

      const report = await reportOf(team.manager.token, team.butler.id);
      expect(report).toMatchObject({
        invitations: 1,
        responses: 1,
        responseRate: 1,
        csatMean: 5,
        csatPercent: 100,
        nps: 100,
        servqual: { reliability: 5, responsiveness: 4, assurance: 5, empathy: 5, tangibles: 4 },
        rankMethod: 'wilson',
      });

      // Submitting again: a clear page, 409, nothing recorded twice.
      const again = await page('POST', token, 'csat=1&nps=0');
      expect(again.status).toBe(409);
      expect(again.text).toContain('已提交过评价');
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM survey_responses WHERE customer_id = $1`, [
        client.id,
      ]);
      expect(n).toBe(1);

      // Reassigning the client afterwards never moves the rating.
      expect(
        (await t.as(team.manager.token).post(`/api/v1/customers/${client.id}/assign`, { butlerId: team.colleague.id }))
          .status,
      ).toBe(200);
      expect(await reportOf(team.manager.token, team.butler.id)).toMatchObject({ responses: 1, csatMean: 5 });
      expect(await reportOf(team.manager.token, team.colleague.id)).toMatchObject({
        invitations: 0,
        responses: 0,
        csatMean: null,
      });
    },
  );

  it(
    'computes the report exactly as the formulas say for a known set of answers, ' +
      'ranks by Wilson bound, and shows trend and drivers',
    async () => {
      const team = await freshTeam();
      // csat, nps, reliability, empathy
      const answers = [
        [5, 10, 5, 5],
        [4, 9, 5, 4],
        [3, 7, 4, 3],
        [4, 8, 2, 4],
        [2, 3, 3, 1],
      ];
      for (const [csat, nps, reliability, empathy] of answers) {
        const { token } = await surveyed(team, team.butler);
        const res = await page('POST', token, `csat=${csat}&nps=${nps}&reliability=${reliability}&empathy=${empathy}`);
        expect(res.status).toBe(200);
      }
      // The colleague: one perfect answer, which must not outrank five mostly good ones.
      const { token } = await surveyed(team, team.colleague);
      expect((await page('POST', token, 'csat=5&nps=10')).status).toBe(200);

      const res = await t.as(team.manager.token).get('/api/v1/reports/butlers');
      const items = res.body.items as Record<string, any>[];
      const mine = items.find((i) => i.butlerId === team.butler.id)!;
      expect(mine).toMatchObject({
        invitations: 5,
        responses: 5,
        responseRate: 1,
        csatMean: 3.6, // 18 / 5
        csatPercent: 60, // 4, 4, 5 of 5
        nps: 20, // promoters 2 (10, 9), detractors 1 (3): (2 - 1) / 5
        servqual: { reliability: 3.8, empathy: 3.4, responsiveness: null, assurance: null, tangibles: null },
      });
      // Wilson lower bound of 3/5 at 95 %: 0.231; of 1/1: 0.207.
      expect(mine.rankScore).toBeCloseTo(0.231, 3);
      const colleague = items.find((i) => i.butlerId === team.colleague.id)!;
      expect(colleague.rankScore).toBeCloseTo(0.207, 3);
      expect(items.map((i) => i.butlerId)).toEqual([team.butler.id, team.colleague.id]);
      expect(res.body.rankMethod).toBe('wilson');

      const trend = await t.as(team.butler.token).get(`/api/v1/reports/butlers/${team.butler.id}/trend?interval=month`);
      expect(trend.status).toBe(200);
      const totals = (trend.body.items as { responses: number; csatMean: number | null; period: string }[]).filter(
        (p) => p.responses > 0,
      );
      expect(totals.reduce((s, p) => s + p.responses, 0)).toBe(5);
      expect(trend.body.items.every((p: { period: string }) => /^\d{4}-\d{2}-01$/.test(p.period))).toBe(true);

      const drivers = await t.as(team.manager.token).get('/api/v1/reports/drivers');
      expect(drivers.status).toBe(200);
      // Empathy tracks CSAT more closely than reliability in these answers.
      expect(drivers.body).toMatchObject({ method: 'pearson', topDriver: 'empathy' });
      const empathy = drivers.body.items.find((d: { dimension: string }) => d.dimension === 'empathy');
      expect(empathy).toMatchObject({ name: '同理性', responses: 5, mean: 3.4 });
      expect(empathy.correlation).toBeGreaterThan(0.9);
    },
  );

  it(
    'a detractor answer opens a recovery task for the manager due within 24 hours, ' +
      'emails them, and marks the client at risk',
    async () => {
      const team = await freshTeam();
      const { client, token } = await surveyed(team, team.butler);
      expect((await page('POST', token, 'csat=2&nps=3&comment=%E9%85%92%E6%9C%89%E9%97%AE%E9%A2%98')).status).toBe(200);
      const submittedAt = clock.now();

      const [task] = await t.db.query(
        `SELECT kind, butler_id, due_at, status, survey_response_id FROM follow_ups
        WHERE customer_id = $1 AND kind = 'recovery'`,
        [client.id],
      );
      expect(task).toMatchObject({ kind: 'recovery', butler_id: team.manager.id, status: 'open' });
      expect(task.survey_response_id).not.toBeNull();
      expect(task.due_at.getTime() - submittedAt.getTime()).toBeLessThanOrEqual(24 * HOUR);

      const managerEmail = (await t.db.query(`SELECT email FROM users WHERE id = $1`, [team.manager.id]))[0]
        .email as string;
      const [alert] = await eventually(
        async () => sink.to(managerEmail),
        (m) => m.length > 0,
        20_000,
      );
      expect(alert.parsed.subject).toContain('低分提醒');
      expect(alert.parsed.text).toContain('酒有问题');

      // The manager sees the task among their follow-ups.
      const mine = await t.as(team.manager.token).get(`/api/v1/follow-ups?customerId=${client.id}&status=open`);
      expect(mine.body.items.map((f: { kind: string }) => f.kind)).toContain('recovery');

      const timeline = await t.as(team.butler.token).get(`/api/v1/customers/${client.id}/timeline`);
      const types = (timeline.body.items as { type: string; data: Record<string, unknown> }[]).map((e) => [
        e.type,
        e.data.csat ?? e.data.kind,
      ]);
      expect(types).toEqual(
        expect.arrayContaining([
          ['survey_response', 2],
          ['follow_up', 'recovery'],
        ]),
      );

      const metrics = await t.as(team.butler.token).get(`/api/v1/customers/${client.id}/metrics`);
      expect(metrics.body.churnRisk.atRisk).toBe(true);
      expect(metrics.body.churnRisk.reasons.map((r: { code: string }) => r.code)).toContain('recent_detractor');
      const atRisk = await t.as(team.butler.token).get('/api/v1/customers?atRisk=true&limit=200');
      expect(atRisk.body.items.map((c: { id: string }) => c.id)).toContain(client.id);
      const churn = await t.as(team.manager.token).get('/api/v1/reports/churn');
      const row = churn.body.items.find((c: { customerId: string }) => c.customerId === client.id);
      expect(row).toMatchObject({ butlerId: team.butler.id, reasons: [{ code: 'recent_detractor' }] });
      expect(row.reasons[0].message).toContain('满意度 2 分');

      // Completing the recovery call (with its root cause and outcome) is not surveyed again unless asked.
      const done = await t
        .as(team.manager.token)
        .post(
          `/api/v1/follow-ups/${mine.body.items.find((f: { kind: string }) => f.kind === 'recovery').id}/complete`,
          {
            outcome: 'reached',
            channel: 'phone',
            rootCause: 'product_quality',
            recoveryOutcome: 'compensated',
          },
        );
      expect(done.status).toBe(200);
      expect(done.body.survey).toBeNull();
    },
  );

  it(
    'a burst of answers is recorded together: each once, ' +
      'a second answer to a link refused, the summary exact, one recovery per detractor',
    async () => {
      const team = await freshTeam();
      const clients: { id: string; email: string; name: string }[] = [];
      for (let i = 0; i < 12; i++) {
        const butler = i < 8 ? team.butler : team.colleague;
        const client = await newClient(butler);
        await completeFollowUp(team, butler, client.id);
        clients.push(client);
      }
      // One clock jump and one dispatch send all twelve invitations.
      clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
      await t.app.get(SurveyDispatcher).dispatchDue();
      const tokens: string[] = [];
      for (const client of clients) {
        const [mail] = await eventually(
          async () => sink.to(client.email),
          (m) => m.length > 0,
          20_000,
        );
        tokens.push(/\/s\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1]);
      }
      const hashes = tokens.map((token) => createHash('sha256').update(token).digest());
      await eventually(
        async () =>
          (
            await t.db.query(
              `SELECT count(*)::int AS n FROM survey_invitations WHERE token_hash = ANY($1) AND status = 'sent'`,
              [hashes],
            )
          )[0].n,
        (n) => n === 12,
      );

      // Every third client is a detractor (CSAT 2, or NPS 3 with CSAT 4); the rest promoters. The
      // first two links are also answered a second time within the same burst, and one unknown link.
      const answer = (i: number): string =>
        i % 3 === 0
          ? i % 2 === 0
            ? `csat=2&nps=8&comment=%E5%A4%AA%E6%85%A2`
            : 'csat=4&nps=3'
          : `csat=5&nps=10&reliability=${4 + (i % 2)}`;
      const posts = [
        ...tokens.map((token, i) => ({ i, token })),
        { i: 0, token: tokens[0] },
        { i: 1, token: tokens[1] },
      ];
      const unknown = randomBytes(32).toString('base64url');
      const [results, stray] = await Promise.all([
        Promise.all(posts.map(({ i, token }) => page('POST', token, answer(i)))),
        page('POST', unknown, answer(1)),
      ]);
      expect(stray.status).toBe(404);
      for (let i = 0; i < 12; i++) {
        const statuses = results
          .filter((_, k) => posts[k].token === tokens[i])
          .map((r) => r.status)
          .sort();
        expect(statuses).toEqual(i < 2 ? [200, 409] : [200]);
      }

      const recorded = await t.db.query(
        `SELECT i.customer_id, count(r.id)::int AS n, min(r.csat) AS csat
        FROM survey_invitations i LEFT JOIN survey_responses r ON r.invitation_id = i.id
        WHERE i.token_hash = ANY($1) GROUP BY 1`,
        [hashes],
      );
      expect(recorded.map((r: { n: number }) => r.n)).toEqual(Array(12).fill(1));

      // The closed loop for each detractor, and for no one else: the manager's task and the alert.
      const detractors = clients.filter((_, i) => i % 3 === 0);
      const tasks = await t.db.query(
        `SELECT customer_id, butler_id, title, note, due_at FROM follow_ups
        WHERE kind = 'recovery' AND customer_id = ANY($1)`,
        [clients.map((c) => c.id)],
      );
      expect(tasks.map((x: { customer_id: string }) => x.customer_id).sort()).toEqual(
        detractors.map((c) => c.id).sort(),
      );
      for (const task of tasks) expect(task.butler_id).toBe(team.manager.id);
      const butlerName = (await t.db.query(`SELECT name FROM users WHERE id = $1`, [team.butler.id]))[0].name as string;
      const first = tasks.find((x: { customer_id: string }) => x.customer_id === clients[0].id);
      expect(first.title).toBe(`低分挽回：${clients[0].name}`);
      expect(first.note).toBe(`满意度 2/5 · 推荐意愿 8/10（管家 ${butlerName}）：太慢`);
      expect(tasks.find((x: { customer_id: string }) => x.customer_id === clients[3].id).note).toBe(
        `满意度 4/5 · 推荐意愿 3/10（管家 ${butlerName}）`,
      );
      const managerEmail = (await t.db.query(`SELECT email FROM users WHERE id = $1`, [team.manager.id]))[0]
        .email as string;
      const alerts = await eventually(
        async () => sink.to(managerEmail),
        (m) => m.length >= detractors.length,
        20_000,
      );
      expect(alerts).toHaveLength(detractors.length);
      expect(alerts.map((m) => m.parsed.text).join('\n')).toContain('太慢');

      // The summary holds exactly these answers: the butler's 8 are CSAT 2, 5, 5, 4, 5, 5, 2, 5.
      const mine = await reportOf(team.manager.token, team.butler.id);
      expect(mine).toMatchObject({ invitations: 8, responses: 8, csatPercent: 75 });
      expect((await reportOf(team.manager.token, team.colleague.id))?.responses).toBe(4);
      expect((await t.as(admin).post('/api/v1/reports/recompute')).body.driftedRows).toBe(0);
    },
  );

  describe('every bad token and bad value gets a clear Chinese page with the right 4xx, and records nothing', () => {
    let token: string;
    let clientId: string;
    const responses = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM survey_responses WHERE customer_id = $1`, [clientId]))[0]
        .n as number;

    beforeAll(async () => {
      const s = await surveyed(ours, ours.butler);
      token = s.token;
      clientId = s.client.id;
    });

    it.each([
      ['nothing', '', '请为“总体满意度”打分'],
      ['csat 6', 'csat=6', '“总体满意度”的分数须为 1–5 之间的整数'],
      ['csat 0', 'csat=0&nps=5', '“总体满意度”的分数须为 1–5'],
      ['csat not a number', 'csat=abc', '“总体满意度”的分数须为'],
      ['csat twice', 'csat=5&csat=1', '“总体满意度”的分数须为'],
      ['nps 11', 'csat=4&nps=11', '“推荐意愿”的分数须为 0–10'],
      ['nps negative', 'csat=4&nps=-1', '“推荐意愿”的分数须为 0–10'],
      ['reliability 9', 'csat=4&reliability=9', '“可靠性”的分数须为 1–5'],
      ['a decimal', 'csat=4.5', '“总体满意度”的分数须为'],
      ['a comment over 1000 characters', `csat=4&comment=${'好'.repeat(1001)}`, '留言请不要超过 1000 字'],
    ])('%s → 400', async (_case, form, message) => {
      const res = await page('POST', token, form);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain(message);
      expect(res.text).toContain('role="alert"');
      expect(await responses()).toBe(0);
    });

    it('keeps what the client entered when the form comes back', async () => {
      const res = await page('POST', token, 'nps=8&empathy=4&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(res.status).toBe(400);
      expect(res.text).toContain('name="nps" value="8" checked');
      expect(res.text).toContain('name="empathy" value="4" checked');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.toContain('<script>alert(1)');
    });

    it(
      'a body that cannot be read gets a Chinese 4xx page, ' +
        'and the page carries the security headers of every route',
      async () => {
        const post = (body: string, contentType: string) =>
          request(t.app, 'POST', `/s/${token}`, {
            body,
            headers: { 'content-type': contentType },
            remoteAddress: randomIp(),
          });
        const broken = await post('%E4%zz=1&csat=%', 'application/x-www-form-urlencoded');
        expect(broken.status).toBe(400);
        expect(broken.headers['content-type']).toContain('text/html');
        const json = await post('{"csat": 5', 'application/json');
        expect(json.status).toBe(400);
        expect(json.headers['content-type']).toContain('text/html');
        expect(json.text).toContain('无法读取提交内容');
        const xml = await post('<csat>5</csat>', 'application/xml');
        expect(xml.status).toBe(415);
        expect(xml.text).toContain('无法读取提交内容');
        expect(await responses()).toBe(0);

        const view = await page('GET', token);
        expect(view.headers).toMatchObject({
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
        });
        expect(view.headers['content-security-policy']).toContain(`script-src 'self'`);
        expect(view.headers['x-request-id']).toEqual(expect.any(String));
      },
    );

    it('an unknown or malformed token → 404', async () => {
      for (const bad of [randomBytes(32).toString('base64url'), 'short', `${token}x`, '%00%27%20OR%201%3D1']) {
        expect((await page('GET', bad)).status).toBe(404);
        const post = await page('POST', bad, 'csat=5');
        expect(post.status).toBe(404);
        expect(post.text).toContain('链接无效');
      }
    });

    it('an expired link → 410 for viewing and submitting, after 14 days', async () => {
      clock.travelTo(new Date(clock.now().getTime() + 15 * 24 * HOUR));
      const view = await page('GET', token);
      expect(view.status).toBe(410);
      expect(view.text).toContain('已过期');
      expect((await page('POST', token, 'csat=5')).status).toBe(410);
      expect(await responses()).toBe(0);
    });

    it('rate-limits the page per IP with a Chinese 429 page', async () => {
      const ip = randomIp();
      let last: HttpResult | undefined;
      for (let i = 0; i < 31; i++) last = await page('GET', 'not-a-token', undefined, ip);
      expect(last!.status).toBe(429);
      expect(last!.text).toContain('请求过于频繁');
      // Another address is not affected.
      expect((await page('GET', 'not-a-token')).status).toBe(404);
    });
  });

  describe('survey rules', () => {
    const setRules = (surveys: Record<string, unknown>) =>
      t.as(admin).patch('/api/v1/settings', {
        surveys: {
          afterFollowUp: true,
          afterCase: true,
          cooldownDays: 14,
          delayMinutes: 120,
          expiryDays: 14,
          ...surveys,
        },
      });
    afterEach(async () => {
      await setRules({});
    });

    it(
      'invites only with survey consent and an email, ' + 'at most once per cooldown, and not when switched off',
      async () => {
        const noConsent = await newClient(ours.butler, {
          consent: { greetings: true, surveys: false, source: 'store' },
        });
        expect((await completeFollowUp(ours, ours.butler, noConsent.id)).survey).toEqual({
          invited: false,
          reason: 'no_consent',
        });
        const noEmail = await newClient(ours.butler, { email: undefined });
        expect((await completeFollowUp(ours, ours.butler, noEmail.id)).survey).toEqual({
          invited: false,
          reason: 'no_channel',
        });

        const client = await newClient(ours.butler);
        expect((await completeFollowUp(ours, ours.butler, client.id)).survey.invited).toBe(true);
        expect((await completeFollowUp(ours, ours.butler, client.id)).survey).toEqual({
          invited: false,
          reason: 'cooldown',
        });
        clock.travelTo(new Date(clock.now().getTime() + 15 * 24 * HOUR));
        expect((await completeFollowUp(ours, ours.butler, client.id)).survey.invited).toBe(true);

        expect((await setRules({ afterFollowUp: false })).status).toBe(200);
        const other = await newClient(ours.butler);
        expect((await completeFollowUp(ours, ours.butler, other.id)).survey).toEqual({
          invited: false,
          reason: 'disabled',
        });
        expect((await setRules({ cooldownDays: -1 })).status).toBe(400);
        expect(
          (
            await t.as(ours.manager.token).patch('/api/v1/settings', {
              surveys: { afterFollowUp: false, afterCase: false, cooldownDays: 1, delayMinutes: 0, expiryDays: 1 },
            })
          ).status,
        ).toBe(403);
      },
    );

    it('skips a scheduled invitation when the client withdraws consent before it goes out', async () => {
      const client = await newClient(ours.butler);
      expect((await completeFollowUp(ours, ours.butler, client.id)).survey.invited).toBe(true);
      expect(
        (
          await t
            .as(ours.butler.token)
            .patch(`/api/v1/customers/${client.id}`, { consent: { greetings: true, surveys: false, source: 'phone' } })
        ).status,
      ).toBe(200);
      clock.travelTo(new Date(clock.now().getTime() + 3 * HOUR));
      await t.app.get(SurveyDispatcher).dispatchDue();
      const [invitation] = await t.db.query(
        `SELECT status, skip_reason FROM survey_invitations WHERE customer_id = $1`,
        [client.id],
      );
      expect(invitation).toEqual({ status: 'skipped', skip_reason: 'no_consent' });
      expect(sink.to(client.email)).toHaveLength(0);
    });
  });

  describe('reports: who may read what', () => {
    it('a butler reads only their own figures; another butler or another team gets 404', async () => {
      const own = await t.as(ours.butler.token).get('/api/v1/reports/butlers');
      expect(own.status).toBe(200);
      expect(own.body.items.map((i: { butlerId: string }) => i.butlerId)).toEqual([ours.butler.id]);
      expect((await t.as(ours.butler.token).get(`/api/v1/reports/butlers/${ours.colleague.id}/trend`)).status).toBe(
        404,
      );
      expect((await t.as(ours.butler.token).get(`/api/v1/reports/butlers/${ours.butler.id}/trend`)).status).toBe(200);
      expect((await t.as(theirs.manager.token).get(`/api/v1/reports/butlers/${ours.butler.id}/trend`)).status).toBe(
        404,
      );
      const team = await t.as(theirs.manager.token).get('/api/v1/reports/butlers');
      expect(team.body.items.map((i: { butlerId: string }) => i.butlerId).sort()).toEqual(
        [theirs.butler.id, theirs.colleague.id].sort(),
      );
      expect((await t.as(ours.butler.token).get('/api/v1/reports/churn')).status).toBe(403);
      expect((await t.as(ours.butler.token).post('/api/v1/reports/recompute')).status).toBe(403);
      const theirChurn = await t.as(theirs.manager.token).get('/api/v1/reports/churn?limit=200');
      expect(
        theirChurn.body.items.every((c: { butlerId: string }) =>
          [theirs.butler.id, theirs.colleague.id].includes(c.butlerId),
        ),
      ).toBe(true);
    });

    it('rejects bad periods naming the field', async () => {
      const bad = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2026-02-30&to=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.message.join(' ')).toMatch(/from must be a real calendar date.*to must be a date as YYYY-MM-DD/);
      expect((await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2026-12-01&to=2026-11-01')).status).toBe(
        400,
      );
      expect(
        (await t.as(ours.manager.token).get(`/api/v1/reports/butlers/${ours.butler.id}/trend?interval=day`)).status,
      ).toBe(400);
    });
  });

  it(
    'the nightly recompute finds no drift after real traffic, ' + 'and reports and repairs a corrupted summary',
    async () => {
      const clean = await t.as(admin).post('/api/v1/reports/recompute');
      expect(clean.status).toBe(200);
      expect(clean.body.driftedRows).toBe(0);
      expect(clean.body.rows).toBeGreaterThan(0);

      const [row] = await t.db.query(`SELECT butler_id, day FROM butler_daily_stats WHERE responses > 0 LIMIT 1`);
      await t.db.query(
        `UPDATE butler_daily_stats SET responses = responses + 5, csat_sum = csat_sum + 25
        WHERE butler_id = $1 AND day = $2`,
        [row.butler_id, row.day],
      );
      const repaired = await t.as(admin).post('/api/v1/reports/recompute');
      expect(repaired.body.driftedRows).toBe(1);
      expect(repaired.body.sample[0].butlerId).toBe(row.butler_id);
      expect((await t.as(admin).post('/api/v1/reports/recompute')).body.driftedRows).toBe(0);
    },
  );
});
