import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { SurveyDispatcher, SurveyProgramRunner } from '@app/surveys';

import { createProduct, customerBody, Member } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, HttpResult, request, TestApp } from './support/test-app';

const TOKEN = /\/s\/(r[A-Za-z0-9_-]{43})/;

// Issue 18, part 1: a relationship program samples a team's clients in its yearly window, sends
// through the survey dispatcher, reminds the non-responders once, and reports rNPS, the P−E gaps and
// the comparison with other brands per tier, apart from the butlers' scorecards.
describe('relationship survey programs', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let clock: Clock;

  const randomIp = (): string => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
  const page = (method: 'GET' | 'POST', token: string, form?: string): Promise<HttpResult> =>
    request(t.app, method, `/s/${token}`, {
      body: form,
      headers: form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: randomIp(),
    });

  const team = async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const butler = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '李管家' });
    const colleague = await t.createUser(admin, { role: 'butler', managerId: manager.id, name: '赵管家' });
    return { manager, butler, colleague };
  };

  const client = async (butler: Member, tier: string, overrides: Record<string, unknown> = {}) => {
    const res = await t
      .as(butler.token)
      .post(
        '/api/v1/customers',
        customerBody({ tier, email: `rel-${tier}-${randomInt(0, 1e9)}@example.com`, ...overrides }),
      );
    expect(res.status).toBe(201);
    return res.body as { id: string; email: string };
  };

  const program = (overrides: Record<string, unknown> = {}) => ({
    name: '2027 年度客户满意度调查',
    schedule: { kind: 'window', start: '11-01', end: '11-30' },
    sample: {
      mode: 'tiers',
      tiers: [
        { tier: 'regular', share: 0.5 },
        { tier: 'silver', share: 1 },
        { tier: 'gold', share: 1 },
        { tier: 'black', share: 1 },
      ],
    },
    reminderAfterDays: 7,
    expiryDays: 21,
    brands: ['茅台', '五粮液', '泸州老窖'],
    ...overrides,
  });

  const linkIn = async (email: string, subject: RegExp): Promise<string> => {
    const [mail] = await eventually(
      async () => sink.to(email).filter((m) => subject.test(m.parsed.subject ?? '')),
      (m) => m.length > 0,
      20_000,
    );
    return TOKEN.exec(mail.parsed.text ?? '')![1];
  };

  const form = (answers: Record<string, string | number | string[]>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(answers)) for (const x of [v].flat()) p.append(k, String(x));
    return p.toString();
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    admin = await t.adminToken();
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('bad input is a 400 naming the field; butlers may not manage programs', async () => {
    const { manager, butler } = await team();
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await t.as(manager.token).post('/api/v1/survey-programs', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect((res.body.fields as { field: string }[]).map((f) => f.field)).toContain(field);
    };
    await bad(program({ schedule: { kind: 'window', end: '11-30' } }), 'schedule.start');
    await bad(program({ schedule: { kind: 'window', start: '02-30', end: '03-01' } }), 'schedule.start');
    await bad(program({ schedule: { kind: 'weekly' } }), 'schedule.kind');
    await bad(program({ sample: { mode: 'tiers', tiers: [] } }), 'sample.tiers');
    await bad(program({ sample: { mode: 'tiers', tiers: [{ tier: 'diamond', share: 1 }] } }), 'sample.tiers.0.tier');
    await bad(program({ sample: { mode: 'tiers', tiers: [{ tier: 'gold', share: 1.5 }] } }), 'sample.tiers.0.share');
    await bad(program({ reminderAfterDays: 21 }), 'reminderAfterDays');
    await bad(program({ reminderAfterDays: 0 }), 'reminderAfterDays');
    await bad(program({ brands: ['茅台', '茅台'] }), 'brands');
    await bad(program({ name: '' }), 'name');
    expect((await t.as(butler.token).post('/api/v1/survey-programs', program())).status).toBe(403);
    expect((await t.as(butler.token).get('/api/v1/survey-programs')).status).toBe(403);
  });

  it('sends to a sample in its window, reminds non-responders once, reports per tier, not in scorecards', async () => {
    const { manager, butler, colleague } = await team();
    const other = await team();
    const gold = await Promise.all([...Array(5)].map(() => client(butler, 'gold')));
    const goldNoConsent = await client(butler, 'gold', {
      consent: { greetings: true, surveys: false, source: 'store' },
    });
    const black = await Promise.all([...Array(6)].map(() => client(butler, 'black')));
    const silver = await Promise.all([...Array(2)].map(() => client(butler, 'silver')));
    // Twelve regulars, half of whom (by the program's sample) are asked.
    await Promise.all([...Array(12)].map(() => client(colleague, 'regular')));
    const outsider = await client(other.butler, 'gold');

    const created = await t.as(manager.token).post('/api/v1/survey-programs', program());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'relationship', status: 'draft', sampleMode: 'tiers' });
    const id = created.body.id as string;
    const list = await t.as(manager.token).get('/api/v1/survey-programs');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect(list.body.questions.map((q: { text: string }) => q.text)).toContain('还有哪些需要我们没想到？');
    // Another manager does not see it.
    expect((await t.as(other.manager.token).get(`/api/v1/survey-programs/${id}`)).status).toBe(404);

    const runner = t.app.get(SurveyProgramRunner);
    const dispatcher = t.app.get(SurveyDispatcher);
    const invited = async () =>
      (await t.db.query(
        `SELECT customer_id, butler_id, status, tier FROM survey_invitations
          WHERE program_id = $1 ORDER BY customer_id`,
        [id],
      )) as { customer_id: string; butler_id: string; status: string; tier: string }[];

    // Before the window nothing is sent, started or not.
    clock.travelTo(new Date('2027-10-31T10:00:00+08:00'));
    expect((await t.as(manager.token).post(`/api/v1/survey-programs/${id}/start`)).status).toBe(200);
    await runner.runDue();
    expect(await invited()).toHaveLength(0);
    // A running program cannot be edited.
    const editing = await t.as(manager.token).patch(`/api/v1/survey-programs/${id}`, { reminderAfterDays: 5 });
    expect(editing.status).toBe(409);
    expect(editing.body.code).toBe('SURVEY_PROGRAM_ACTIVE');

    // 1 November: the sample is invited, half the regular tier (deterministically), every other
    // tier whole; the other team is not asked.
    clock.travelTo(new Date('2027-11-01T10:00:00+08:00'));
    const preview = await t.as(manager.token).get(`/api/v1/survey-programs/${id}/sample-preview`);
    expect(preview.status).toBe(200);
    const regularSampled = (preview.body.tiers as { tier: string; sampled: number }[]).find(
      (x) => x.tier === 'regular',
    )!.sampled;
    await runner.runDue();
    const first = await invited();
    expect(first.filter((i) => i.tier === 'regular')).toHaveLength(regularSampled);
    expect(first.filter((i) => i.tier === 'gold')).toHaveLength(6);
    expect(first.filter((i) => i.tier === 'black')).toHaveLength(6);
    expect(first.filter((i) => i.tier === 'silver')).toHaveLength(2);
    expect(first.map((i) => i.customer_id)).not.toContain(outsider.id);
    // A re-run (the same day, or the next, or after an edit) picks exactly the same clients.
    await runner.runDue();
    await t.db.query(`UPDATE survey_programs SET last_run_day = NULL WHERE id = $1`, [id]);
    clock.travelTo(new Date('2027-11-02T10:00:00+08:00'));
    await runner.runDue();
    expect(await invited()).toEqual(first);
    clock.travelTo(new Date('2027-11-01T10:05:00+08:00'));

    // The butler is frozen at send time: a client handed over afterwards stays with their butler.
    expect(
      (await t.as(manager.token).post(`/api/v1/customers/${black[5].id}/assign`, { butlerId: colleague.id })).status,
    ).toBe(200);
    await dispatcher.dispatchDue();
    const tokens = new Map<string, string>();
    for (const c of [...gold, ...black, ...silver])
      tokens.set(c.id, await linkIn(c.email, /年度客户满意度调查：诚邀您参与/));
    await eventually(
      async () => (await invited()).filter((i) => i.status === 'sent').length,
      (n) => n === first.length - 1,
    );
    const after = await invited();
    expect(after.find((i) => i.customer_id === goldNoConsent.id)!.status).toBe('skipped');
    expect(after.find((i) => i.customer_id === black[5].id)!.butler_id).toBe(butler.id);
    const mail = sink.to(gold[0].email)[0];
    expect(mail.parsed.text).toContain('李管家');
    expect(mail.parsed.html).toMatch(/参与调查<\/a>/);

    // The page: the long Chinese form with the program's brands.
    const view = await page('GET', tokens.get(gold[0].id)!);
    expect(view.status).toBe(200);
    for (const text of [
      '推荐我们的品牌',
      '性价比',
      '品牌的好感度',
      '和您常喝的其他品牌相比',
      '五粮液',
      '您期望',
      '实际感受',
      '还有哪些需要我们没想到？',
    ])
      expect(view.text).toContain(text);
    // Missing answers: 400 with every problem, nothing recorded.
    const missing = await page(
      'POST',
      tokens.get(gold[0].id)!,
      form({ quality: 9, comparison: 'best', brands: '人头马' }),
    );
    expect(missing.status).toBe(400);
    for (const text of [
      '请回答“推荐意愿”',
      '请回答“总体满意度”',
      '“产品品质”的分数须为 1–5',
      '请选择“更好”',
      '请从列表中选择品牌',
    ])
      expect(missing.text).toContain(text);

    // Gold answers: NPS 10, 9, 8, 6, 3 (rNPS 0); reliability expected 5, perceived 4, 4, 5, 3, 4 (gap −1).
    const goldAnswers = [
      { nps: 10, csat: 5, rel: 4, comparison: 'better', needs: '希望多办几场品鉴会，包装也可以更环保' },
      { nps: 9, csat: 4, rel: 4, comparison: 'better', needs: '' },
      { nps: 8, csat: 4, rel: 5, comparison: 'better', needs: '' },
      { nps: 6, csat: 3, rel: 3, comparison: 'same', needs: '' },
      { nps: 3, csat: 2, rel: 4, comparison: 'worse', needs: '送货太慢了' },
    ];
    for (const [i, a] of goldAnswers.entries()) {
      const res = await page(
        'POST',
        tokens.get(gold[i].id)!,
        form({
          nps: a.nps,
          csat: a.csat,
          quality: 4,
          value: 3,
          favourability: 5,
          comparison: a.comparison,
          brands: i === 0 ? ['茅台', '五粮液'] : ['茅台'],
          otherBrands: i === 1 ? '郎酒' : '',
          exp_reliability: 5,
          reliability: a.rel,
          exp_empathy: 3,
          empathy: 4,
          needs: a.needs,
        }),
      );
      expect(res.status).toBe(200);
      expect(res.text).toContain('感谢您的评价');
    }
    expect((await page('POST', tokens.get(gold[0].id)!, form({ nps: 1, csat: 1 }))).status).toBe(409);
    for (const c of black.slice(0, 5))
      expect((await page('POST', tokens.get(c.id)!, form({ nps: 10, csat: 5, comparison: 'better' }))).status).toBe(
        200,
      );

    // Seven days on, the non-responders (one black, the sampled regulars, both silvers) get one
    // reminder each, with a link of its own; the first link keeps working.
    clock.travelTo(new Date('2027-11-08T10:06:00+08:00'));
    const reminded = await runner.runDue();
    expect(reminded.reminded).toBe(1 + regularSampled + 2);
    const reminderToken = await linkIn(silver[0].email, /提醒：.*还在等您的意见/);
    expect(reminderToken).not.toBe(tokens.get(silver[0].id));
    expect(sink.to(gold[1].email).filter((m) => /提醒/.test(m.parsed.subject ?? ''))).toHaveLength(0);
    clock.travelTo(new Date('2027-11-09T10:06:00+08:00'));
    expect((await runner.runDue()).reminded).toBe(0);
    expect((await page('GET', tokens.get(silver[1].id)!)).status).toBe(200);
    expect((await page('POST', reminderToken, form({ nps: 7, csat: 4 }))).status).toBe(200);
    const progress = (await t.as(manager.token).get(`/api/v1/survey-programs/${id}`)).body.progress;
    expect(progress).toMatchObject({
      cycle: 2027,
      invited: first.length,
      skipped: 1,
      responded: 11,
      reminded: 1 + regularSampled + 2,
      skipReasons: { no_consent: 1 },
    });

    // The report: rNPS, the five gaps and the comparison, in all and per tier; silver (1 answer)
    // and regular (none) withheld.
    const report = await t.as(manager.token).get(`/api/v1/survey-programs/${id}/report`);
    expect(report.status).toBe(200);
    const group = (tier: string | null) =>
      (report.body.groups as { tier: string | null }[]).find((g) => g.tier === tier) as Record<string, any>;
    expect(report.body.cycle).toBe(2027);
    expect(group('gold')).toMatchObject({
      responses: 5,
      sent: 5,
      responseRate: 1,
      suppressed: false,
      rnps: 0,
      satisfactionMean: 3.6,
      qualityMean: 4,
      valueMean: 3,
      favourabilityMean: 5,
      comparison: { better: 0.6, same: 0.2, worse: 0.2 },
    });
    const gaps = Object.fromEntries((group('gold').gaps as { dimension: string }[]).map((g) => [g.dimension, g]));
    expect(gaps.reliability).toEqual({ dimension: 'reliability', expectation: 5, perception: 4, gap: -1, n: 5 });
    expect(gaps.empathy).toMatchObject({ gap: 1, n: 5 });
    expect(gaps.tangibles).toMatchObject({ gap: null, n: 0 });
    expect(group('gold').brands).toEqual(
      expect.arrayContaining([
        { brand: '茅台', n: 5, better: 3, same: 1, worse: 1 },
        { brand: '五粮液', n: 1, better: 1, same: 0, worse: 0 },
        { brand: '郎酒', n: 1, better: 1, same: 0, worse: 0 },
      ]),
    );
    expect(group('black')).toMatchObject({ responses: 5, sent: 6, rnps: 100, responseRate: 0.8333 });
    expect(group('silver')).toMatchObject({ responses: 1, suppressed: true, rnps: null, gaps: [], brands: [] });
    expect(group('regular')).toMatchObject({ responses: 0, suppressed: true });
    expect(group(null)).toMatchObject({ responses: 11, suppressed: false });

    // The unmet needs are tagged like any survey comment.
    const themes = await t.db.query(
      `SELECT t.theme FROM comment_themes t JOIN survey_responses r ON r.id = t.source_id
        WHERE t.source = 'survey' AND r.comment = '送货太慢了'`,
    );
    expect(themes.map((x: { theme: string }) => x.theme)).toContain('delivery');

    // The scorecard counts no relationship answer, before and after a recompute; the results list
    // of contact surveys shows none either.
    const card = async () =>
      (
        (await t.as(manager.token).get('/api/v1/reports/butlers?from=2027-10-01&to=2027-12-31')).body.items as {
          butlerId: string;
          invitations: number;
          responses: number;
        }[]
      ).find((i) => i.butlerId === butler.id);
    await expect(card()).resolves.toMatchObject({ invitations: 0, responses: 0 });
    expect((await t.as(admin).post('/api/v1/reports/recompute')).status).toBe(200);
    await expect(card()).resolves.toMatchObject({ invitations: 0, responses: 0 });
    const results = await t.as(manager.token).get(`/api/v1/surveys/responses?butlerId=${butler.id}`);
    expect(results.body.items).toHaveLength(0);

    // Pausing stops reminders and new invitations.
    const paused = await t.as(manager.token).post(`/api/v1/survey-programs/${id}/pause`);
    expect(paused.body.status).toBe('paused');
    expect((await t.as(manager.token).post(`/api/v1/survey-programs/${id}/pause`)).body.code).toBe(
      'SURVEY_PROGRAM_NOT_ACTIVE',
    );
    expect((await t.as(manager.token).patch(`/api/v1/survey-programs/${id}`, { reminderAfterDays: 5 })).status).toBe(
      200,
    );
  });

  it('an anniversary program asks each client on the anniversary of their first purchase', async () => {
    const { manager, butler } = await team();
    const product = await createProduct(t, admin);
    const buyer = await client(butler, 'gold');
    const recent = await client(butler, 'gold');
    const leap = await client(butler, 'gold');
    const buy = (customerId: string, at: string) =>
      t.as(butler.token).post(`/api/v1/customers/${customerId}/purchases`, {
        orderRef: `ANN-${randomInt(0, 1e9)}`,
        channel: 'store',
        purchasedAt: at,
        items: [{ productId: product.id, quantity: 1, unitPriceFen: 99900 }],
      });
    clock.travelTo(new Date('2027-11-02T09:00:00+08:00'));
    expect((await buy(buyer.id, '2025-11-03T20:00:00+08:00')).status).toBe(201);
    expect((await buy(leap.id, '2024-02-29T12:00:00+08:00')).status).toBe(201);
    expect((await buy(recent.id, '2027-11-01T12:00:00+08:00')).status).toBe(201);
    const created = await t
      .as(manager.token)
      .post(
        '/api/v1/survey-programs',
        program({ name: '周年回访调查', schedule: { kind: 'anniversary' }, sample: { mode: 'all' } }),
      );
    expect(created.body.sampleMode).toBe('all');
    const id = created.body.id as string;
    await t.as(manager.token).post(`/api/v1/survey-programs/${id}/start`);
    const runner = t.app.get(SurveyProgramRunner);
    const asked = async () =>
      (
        (await t.db.query(`SELECT customer_id FROM survey_invitations WHERE program_id = $1`, [id])) as {
          customer_id: string;
        }[]
      ).map((r) => r.customer_id);
    await runner.runDue();
    expect(await asked()).toEqual([]);
    clock.travelTo(new Date('2027-11-03T09:00:00+08:00'));
    await runner.runDue();
    expect(await asked()).toEqual([buyer.id]);
    // 29 February's first purchase is remembered on the 28th in a common year.
    clock.travelTo(new Date('2028-02-28T09:00:00+08:00'));
    await runner.runDue();
    expect(await asked()).toEqual([buyer.id]);
    clock.travelTo(new Date('2027-02-28T09:00:00+08:00'));
    await t.db.query(`UPDATE survey_programs SET last_run_day = NULL WHERE id = $1`, [id]);
    await runner.runDue();
    expect((await asked()).sort()).toEqual([buyer.id, leap.id].sort());
    // Other test files' workers share the database: leave nothing running.
    expect((await t.as(manager.token).post(`/api/v1/survey-programs/${id}/pause`)).status).toBe(200);
  });
});
