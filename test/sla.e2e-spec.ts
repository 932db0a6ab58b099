import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { SlaEscalator } from '@app/sla';

import { customerBody, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { answerableSurvey, postSurveyForm } from './support/surveys';
import { bootApp, eventually, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-20T09:00:00+08:00');

// A loop that closes (docs/sla.md): SLA breaches marked and escalated butler → manager → admin,
// exactly once per step; recovery tasks completed with a root cause; the re-survey; the Pareto.
describe('SLA escalation, root causes and the recovery re-survey', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  let escalator: SlaEscalator;

  const at = (hours: number, minutes = 0) => new Date(T0.getTime() + hours * HOUR + minutes * 60_000);
  const emailOf = async (userId: string) =>
    (await t.db.query(`SELECT email FROM users WHERE id = $1`, [userId]))[0].email as string;
  const newClient = async (team: Team) =>
    (
      await t
        .as(team.butler.token)
        .post('/api/v1/customers', customerBody({ email: `sla-${randomInt(0, 1e9)}@example.com` }))
    ).body as { id: string; name: string; email: string };
  // Other test files' open cases breach too when the clock jumps: run until nothing is left due.
  const escalateAll = async () => {
    let total = 0;
    for (let n = await escalator.escalate(); n > 0; n = await escalator.escalate()) total += n;
    return total;
  };
  // The app's clock runs on from where a test puts it: times to the second.
  const second = (iso: string | Date) => new Date(Math.floor(new Date(iso).getTime() / 1000) * 1000).toISOString();
  const steps = async (subjectId: string) =>
    (await t.db.query(
      `SELECT e.clock, e.level, e.recipient_id, date_trunc('second', e.due_at) AS due_at,
              cardinality(e.message_ids) AS messages
         FROM sla_escalations e WHERE e.subject_id = $1 ORDER BY e.clock, e.level`,
      [subjectId],
    )) as { clock: string; level: number; recipient_id: string | null; due_at: Date; messages: number }[];
  const answerable = (customerId: string, source: string) => answerableSurvey(t, customerId, clock.now(), { source });
  const answer = (token: string, form: string) => postSurveyForm(t, token, form);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    escalator = t.app.get(SlaEscalator);
    const set = await t.as(admin).patch('/api/v1/settings', {
      sla: {
        cases: {
          urgent: { firstResponseHours: 1, resolutionHours: 12 },
          high: { firstResponseHours: 2, resolutionHours: 24 },
          normal: { firstResponseHours: 8, resolutionHours: 72 },
          low: { firstResponseHours: 24, resolutionHours: 168 },
        },
        recoveryHours: 24,
        managerAfterHours: 4,
        adminAfterHours: 24,
      },
    });
    expect(set.status).toBe(200);
    expect(set.body.sla.cases.high).toEqual({ firstResponseHours: 2, resolutionHours: 24 });
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    // The answers below skipped the sender's count of sent invitations: repair the summary for the others.
    await t.as(admin).post('/api/v1/reports/recompute');
    await t.close();
    await sink.stop();
  });

  it(
    'a breached high-priority case alerts the butler, then escalates to the manager and then the admin, ' +
      'each step once with two escalators racing, audited, and the breached filter finds it',
    async () => {
      clock.travelTo(T0);
      const client = await newClient(ours);
      const opened = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: client.id,
        type: 'quality',
        priority: 'high',
        channel: 'phone',
        summary: '封口渗漏，客户等待答复',
      });
      expect(opened.status).toBe(201);
      const caseId = opened.body.id as string;
      expect(opened.body).toMatchObject({ slaBreachedAt: null, slaLevel: 0 });

      // Within the 2 hours of a first response: nothing.
      clock.travelTo(at(1, 59));
      await escalateAll();
      expect(await steps(caseId)).toEqual([]);

      // Past it: the butler is alerted, once, though two escalators run at the same moment.
      clock.travelTo(at(2, 1));
      await Promise.all([escalator.escalate(), escalator.escalate(), escalateAll()]);
      expect(await steps(caseId)).toEqual([
        { clock: 'first_response', level: 1, recipient_id: ours.butler.id, due_at: at(2), messages: 1 },
      ]);
      const butlerMail = await eventually(
        async () => sink.to(await emailOf(ours.butler.id)),
        (m) => m.some((x) => x.parsed.subject?.includes(client.name)),
        20_000,
      );
      const alert = butlerMail.find((x) => x.parsed.subject?.includes('超时提醒'))!;
      expect(alert.parsed.subject).toBe(`【超时提醒】售后工单已超时：${client.name}`);
      expect(alert.parsed.text).toContain('封口渗漏，客户等待答复');
      expect(alert.parsed.text).toContain('首次响应');

      const shown = await t.as(ours.butler.token).get(`/api/v1/cases/${caseId}`);
      expect(shown.body.slaLevel).toBe(1);
      expect(second(shown.body.slaBreachedAt)).toBe(at(2).toISOString());
      const breached = await t.as(ours.butler.token).get('/api/v1/cases?breached=true&limit=200');
      expect(breached.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
      const onTime = await t.as(ours.butler.token).get('/api/v1/cases?breached=false&limit=200');
      expect(onTime.body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
      // Another team's manager does not see it, breached or not.
      const elsewhere = await t.as(theirs.manager.token).get('/api/v1/cases?breached=true&limit=200');
      expect(elsewhere.body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);

      // 4 hours after the breach: the manager.
      clock.travelTo(at(6, 1));
      await escalateAll();
      expect((await steps(caseId)).map((s) => [s.level, s.recipient_id])).toEqual([
        [1, ours.butler.id],
        [2, ours.manager.id],
      ]);
      const managerMail = await eventually(
        async () => sink.to(await emailOf(ours.manager.id)),
        (m) => m.some((x) => x.parsed.subject === `【超时升级·经理】售后工单已超时：${client.name}`),
        20_000,
      );
      expect(managerMail.at(-1)!.parsed.text).toContain('现升级给您跟进');

      // 24 hours after the breach: an admin; meanwhile the resolution's own 24 hours ran out (the butler).
      clock.travelTo(at(26, 1));
      await escalateAll();
      const all = await steps(caseId);
      const [{ id: firstAdmin }] = await t.db.query(
        `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY created_at LIMIT 1`,
      );
      expect(all.map((s) => [s.clock, s.level, s.recipient_id])).toEqual([
        ['first_response', 1, ours.butler.id],
        ['first_response', 2, ours.manager.id],
        ['first_response', 3, firstAdmin],
        ['resolution', 1, ours.butler.id],
      ]);
      await eventually(
        async () => sink.to(await emailOf(firstAdmin)),
        (m) => m.some((x) => x.parsed.subject === `【超时升级·管理员】售后工单已超时：${client.name}`),
        20_000,
      );
      expect((await t.as(ours.manager.token).get(`/api/v1/cases/${caseId}`)).body.slaLevel).toBe(3);

      // Again and again: nothing more. Each step is one outbox message and one audit row.
      await Promise.all([escalateAll(), escalateAll()]);
      expect(await steps(caseId)).toHaveLength(4);
      const [{ n: messages }] = await t.db.query(
        `SELECT count(*)::int AS n FROM messages m JOIN sla_escalations e ON m.key = 'sla-alert:' || e.id
          WHERE e.subject_id = $1 AND m.purpose = 'sla_alert'`,
        [caseId],
      );
      expect(messages).toBe(4);
      const audits = await t.db.query(
        `SELECT actor_id, changes FROM audit_log WHERE entity_type = 'case' AND entity_id = $1 AND action = 'escalate'`,
        [caseId],
      );
      expect(audits).toHaveLength(4);
      expect(audits[0].actor_id).toBeNull();

      // A first response in time stops that clock: a case answered within its hours never escalates it.
      clock.travelTo(at(30));
      const answered = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: client.id,
        type: 'inquiry',
        priority: 'urgent',
        channel: 'wechat',
        summary: '询问发票',
      });
      await t.as(ours.butler.token).post(`/api/v1/cases/${answered.body.id}/notes`, { body: '已回复客户' });
      // Its 12 hours of resolution run out all the same.
      clock.travelTo(at(43));
      await escalateAll();
      expect((await steps(answered.body.id)).map((s) => s.clock)).toEqual(['resolution']);
    },
  );

  it(
    'a recovery task needs a root cause and an outcome; it escalates from its manager to an admin; ' +
      'the re-survey asks one question; the Pareto drills down to the case and answers; teams stay apart',
    async () => {
      clock.travelTo(T0);
      const client = await newClient(ours);
      // A case resolved, its survey answered low: the manager's recovery task.
      const opened = await t.as(ours.butler.token).post('/api/v1/cases', {
        customerId: client.id,
        type: 'delivery',
        priority: 'normal',
        channel: 'phone',
        summary: '物流延误三天，包装破损',
      });
      const caseId = opened.body.id as string;
      for (const to of ['in_progress', 'resolved'])
        expect((await t.as(ours.butler.token).post(`/api/v1/cases/${caseId}/transition`, { to })).status).toBe(200);
      const low = await answer(
        await answerable(client.id, 'case'),
        `csat=2&nps=4&comment=${encodeURIComponent('送货太慢')}`,
      );
      expect(low.status).toBe(200);
      const list = await t.as(ours.manager.token).get(`/api/v1/follow-ups?customerId=${client.id}&kind=recovery`);
      const task = list.body.items[0] as { id: string; slaLevel: number };
      expect(task).toMatchObject({ slaLevel: 0, slaBreachedAt: null, rootCause: null });

      // 24 hours later it is breached: its owner (the manager) is alerted; with no manager above
      // them the second step alerts nobody; 24 hours after the breach, an admin.
      clock.travelTo(at(24, 1));
      await escalateAll();
      clock.travelTo(at(48, 2));
      await escalateAll();
      const [{ id: firstAdmin }] = await t.db.query(
        `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY created_at LIMIT 1`,
      );
      expect((await steps(task.id)).map((s) => [s.clock, s.level, s.recipient_id, s.messages])).toEqual([
        ['recovery', 1, ours.manager.id, 1],
        ['recovery', 2, null, 0],
        ['recovery', 3, firstAdmin, 1],
      ]);
      const breached = await t.as(ours.manager.token).get('/api/v1/follow-ups?breached=true&kind=recovery&limit=200');
      const marked = breached.body.items.find((f: { id: string }) => f.id === task.id);
      expect(marked.slaLevel).toBe(3);
      expect(second(marked.slaBreachedAt)).toBe(at(24).toISOString());

      // Completing it: the root cause and the outcome are required, and the code must be one of the list.
      const complete = (body: Record<string, unknown>) =>
        t.as(ours.manager.token).post(`/api/v1/follow-ups/${task.id}/complete`, {
          outcome: 'reached',
          channel: 'phone',
          ...body,
        });
      const missing = await complete({});
      expect(missing.status).toBe(400);
      expect(missing.body.fields).toEqual([
        { field: 'rootCause', code: 'requiredForRecovery', params: {} },
        { field: 'recoveryOutcome', code: 'requiredForRecovery', params: {} },
      ]);
      const bogus = await complete({ rootCause: 'weather', recoveryOutcome: 'resolved' });
      expect(bogus.status).toBe(400);
      expect(bogus.body.fields.map((f: { field: string }) => f.field)).toEqual(['rootCause']);
      // Not reached: it stays open without a code (改约).
      expect((await complete({ outcome: 'no_answer' })).body).toMatchObject({ status: 'open', rootCause: null });

      clock.travelTo(at(50));
      const done = await complete({ rootCause: 'logistics', recoveryOutcome: 'compensated', resurvey: true });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'done', rootCause: 'logistics', recoveryOutcome: 'compensated' });
      expect(done.body.survey).toMatchObject({ invited: true });

      // The re-survey is one question, from the manager who called.
      const token = await answerable(client.id, 'recovery');
      const form = await request(t.app, 'GET', `/s/${token}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('经过这次沟通和处理，您现在对我们的服务满意吗？');
      expect(form.text).not.toContain('推荐');
      expect((await answer(token, 'csat=5')).status).toBe(200);

      // The Pareto of November (Shanghai): one bar, the recovered share per manager.
      const report = await t.as(ours.manager.token).get('/api/v1/reports/root-causes?month=2026-11');
      expect(report.status).toBe(200);
      expect(report.body.bars).toContainEqual({
        code: 'logistics',
        count: 1,
        percent: 100,
        cumulativePercent: 100,
      });
      expect(report.body.recovery).toEqual([
        {
          managerId: ours.manager.id,
          managerName: expect.any(String),
          tasks: 1,
          resurveyed: 1,
          answered: 1,
          recovered: 1,
          recoveredPercent: 100,
        },
      ]);
      const items = await t.as(ours.manager.token).get('/api/v1/reports/root-causes/logistics/items?month=2026-11');
      expect(items.status).toBe(200);
      expect(items.body.items).toEqual([
        expect.objectContaining({
          followUpId: task.id,
          customerName: client.name,
          recoveryOutcome: 'compensated',
          answer: expect.objectContaining({ csat: 2, nps: 4, comment: '送货太慢' }),
          case: expect.objectContaining({ id: caseId, summary: '物流延误三天，包装破损', type: 'delivery' }),
          resurvey: expect.objectContaining({ status: 'responded', csat: 5 }),
        }),
      ]);
      // December has nothing yet; the butler sees their own clients' causes.
      expect((await t.as(ours.manager.token).get('/api/v1/reports/root-causes?month=2026-12')).body.total).toBe(0);
      const own = await t.as(ours.butler.token).get('/api/v1/reports/root-causes?month=2026-11');
      expect(own.body.bars).toContainEqual(expect.objectContaining({ code: 'logistics', count: 1 }));

      // Access: another team's butler or manager cannot read this team's Pareto.
      for (const outsider of [theirs.butler, theirs.manager]) {
        const asked = await t
          .as(outsider.token)
          .get(`/api/v1/reports/root-causes?month=2026-11&teamId=${ours.manager.id}`);
        expect(asked.status).toBe(404);
        const drill = await t
          .as(outsider.token)
          .get(`/api/v1/reports/root-causes/logistics/items?month=2026-11&teamId=${ours.manager.id}`);
        expect(drill.status).toBe(404);
        const theirOwn = await t.as(outsider.token).get('/api/v1/reports/root-causes/logistics/items?month=2026-11');
        expect(theirOwn.body.items.map((i: { followUpId: string }) => i.followUpId)).not.toContain(task.id);
      }
      const byAdmin = await t.as(admin).get(`/api/v1/reports/root-causes?month=2026-11&teamId=${ours.manager.id}`);
      expect(byAdmin.body.bars).toEqual([{ code: 'logistics', count: 1, percent: 100, cumulativePercent: 100 }]);
    },
  );

  it('bad input is a 400 naming the field', async () => {
    const cases = [
      ['/api/v1/reports/root-causes?month=2026-13', 'month'],
      ['/api/v1/reports/root-causes', 'month'],
      ['/api/v1/reports/root-causes/weather/items?month=2026-11', 'code'],
      ['/api/v1/reports/root-causes?month=2026-11&teamId=nope', 'teamId'],
      ['/api/v1/cases?breached=maybe', 'breached'],
      ['/api/v1/follow-ups?breached=1', 'breached'],
    ] as const;
    for (const [url, field] of cases) {
      const res = await t.as(ours.manager.token).get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const settings = async (sla: Record<string, unknown>) => t.as(admin).patch('/api/v1/settings', { sla });
    const shorter = await settings({
      cases: {
        urgent: { firstResponseHours: 1, resolutionHours: 12 },
        high: { firstResponseHours: 8, resolutionHours: 4 },
        normal: { firstResponseHours: 8, resolutionHours: 72 },
        low: { firstResponseHours: 24, resolutionHours: 168 },
      },
    });
    expect(shorter.status).toBe(400);
    expect(shorter.body.fields).toEqual([
      { field: 'sla.cases.high.resolutionHours', code: 'notBeforeFirstResponse', params: {} },
    ]);
    const order = await settings({ managerAfterHours: 24, adminAfterHours: 4 });
    expect(order.body.fields).toEqual([{ field: 'sla.adminAfterHours', code: 'afterManager', params: {} }]);
    const zero = await settings({ recoveryHours: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.fields[0].field).toBe('sla.recoveryHours');
    const missingPriority = await settings({ cases: { high: { firstResponseHours: 1, resolutionHours: 2 } } });
    expect(missingPriority.status).toBe(400);
    // Nothing of it was stored; a butler may not change it.
    expect((await t.as(admin).get('/api/v1/settings')).body.sla.cases.high).toEqual({
      firstResponseHours: 2,
      resolutionHours: 24,
    });
    expect((await t.as(ours.butler.token).patch('/api/v1/settings', { sla: { recoveryHours: 12 } })).status).toBe(403);
  });
});
