import { Clock, shanghaiDay } from '@app/common';
import { DailyCareService } from '@app/greetings';

import { customerBody, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, TestApp } from './support/test-app';

// China's official calendar: the law's days for any year, the State Council's 调休 schedule as
// data an admin enters, and the one "is this a working day" every rule asks.
describe('holidays: the official working-day calendar', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  let sink: SmtpSink;

  const STATUTORY_2027 = [
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ];
  // The 2027 notice as an admin would type it (a plausible schedule: the real one is published late in 2026).
  const NOTICE_2027 = [
    '# 国务院办公厅关于2027年部分节假日安排的通知',
    '2027-01-01~2027-01-03 holiday 元旦',
    '2027-02-05~2027-02-12 holiday 春节',
    '2027-02-14 workday 春节',
    '2027-02-20 班 春节',
    '2027-10-01~2027-10-07 休 国庆节',
  ].join('\n');
  const digestsOn = async (at: string) => {
    clock.travelTo(new Date(at));
    return t.app.get(DailyCareService).run(shanghaiDay(clock.now()));
  };
  const digestRow = async (day: string) =>
    t.db.query('SELECT 1 FROM messages WHERE key = $1', [`digest:${ours.butler.id}:${day}`]);

  beforeAll(async () => {
    // With workers: the morning round is theirs. Digests go to a sink of this file's own.
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    // Other files share this database: leave 2027 as the law alone says it.
    await t.db.query(`DELETE FROM holiday_days WHERE date BETWEEN '2027-01-01' AND '2027-12-31'`);
    await t.close();
    await sink.stop();
  });

  it('answers the statutory days of a year whose schedule is not yet known, to every signed-in user', async () => {
    const res = await t.as(ours.butler.token).get('/api/v1/holidays?year=2027');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, source: 'statutory', schedule: null, lines: '' });
    expect(res.body.items.map((d: { date: string }) => d.date)).toEqual(STATUTORY_2027);
    expect(res.body.items.every((d: { kind: string }) => d.kind === 'holiday')).toBe(true);
    expect(res.body.items.find((d: { date: string }) => d.date === '2027-02-05')).toEqual({
      date: '2027-02-05',
      kind: 'holiday',
      name: '春节',
    });
    expect(res.body.items.find((d: { date: string }) => d.date === '2027-04-05').name).toBe('清明节');
    expect((await t.anonymous.get('/api/v1/holidays?year=2027')).status).toBe(401);
  });

  it('knows the published schedules the library ships (2026: make-up Saturdays included)', async () => {
    const res = await t.as(ours.manager.token).get('/api/v1/holidays?year=2026');
    expect(res.body).toMatchObject({ year: 2026, source: 'official', schedule: 'library' });
    expect(res.body.items).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节' });
    expect(res.body.items).toContainEqual({ date: '2026-10-07', kind: 'holiday', name: '国庆节' });
  });

  it('refuses a year outside the lunar calendar, naming year', async () => {
    for (const year of ['1900', '2100', 'abc', '2027.5']) {
      const res = await t.as(ours.butler.token).get(`/api/v1/holidays?year=${year}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('year');
    }
    const put = await t.as(admin).put('/api/v1/holidays/2100', { text: '2100-01-01 holiday 元旦' });
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.body.message)).toContain('year');
  });

  it('lets only an admin enter a schedule, and reports every bad line without changing anything', async () => {
    expect((await t.as(ours.manager.token).put('/api/v1/holidays/2027', { text: NOTICE_2027 })).status).toBe(403);
    expect((await t.as(ours.butler.token).delete('/api/v1/holidays/2027')).status).toBe(403);

    const bad = await t.as(admin).put('/api/v1/holidays/2027', {
      text: [
        '2027-02-05 holiday 春节',
        '2027-02-05 holiday 春节',
        '2026-12-31 holiday 元旦',
        '2027-02-14 rest 春节',
        '2027-02-30 holiday 春节',
        'Feb 14 workday',
        '2027-10-01 workday 国庆节',
      ].join('\n'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'HOLIDAY_SCHEDULE_INVALID', field: 'text' });
    expect(bad.body.lines.map((l: { line: number; problem: string }) => [l.line, l.problem])).toEqual([
      [2, 'duplicate'],
      [3, 'outside_year'],
      [4, 'kind'],
      [5, 'date'],
      [6, 'format'],
      [7, 'statutory_workday'],
    ]);
    expect(bad.body.message).toContain('text line 3: is not in the year being entered');
    expect((await t.as(admin).put('/api/v1/holidays/2027', { text: '  \n# nothing\n' })).body.lines).toEqual([
      { line: 0, problem: 'empty', text: '' },
    ]);
    expect((await t.as(admin).put('/api/v1/holidays/2027', { text: 42 })).status).toBe(400);
    expect((await t.as(ours.butler.token).get('/api/v1/holidays?year=2027')).body.source).toBe('statutory');
    expect(await t.db.query(`SELECT 1 FROM holiday_days WHERE date >= '2027-01-01' AND date <= '2027-12-31'`)).toEqual(
      [],
    );
  });

  it('turns the year official once an admin enters the notice, audits it, and can forget it again', async () => {
    const put = await t.as(admin).put('/api/v1/holidays/2027', { text: NOTICE_2027, source: '国办发明电〔2026〕12号' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      year: 2027,
      source: 'official',
      schedule: 'entered',
      reference: '国办发明电〔2026〕12号',
    });
    expect(put.body.items).toContainEqual({ date: '2027-02-14', kind: 'workday', name: '春节' });
    expect(put.body.items).toContainEqual({ date: '2027-02-20', kind: 'workday', name: '春节' });
    expect(put.body.items).toContainEqual({ date: '2027-10-07', kind: 'holiday', name: '国庆节' });
    // The law's days stay in, even those the notice leaves out (清明, 劳动节, 端午, 中秋).
    for (const day of STATUTORY_2027) expect(put.body.items.map((d: { date: string }) => d.date)).toContain(day);
    expect(put.body.lines.split('\n')[0]).toBe('2027-01-01~2027-01-03 holiday 元旦');
    const read = await t.as(ours.butler.token).get('/api/v1/holidays?year=2027');
    expect(read.body).toMatchObject({ source: 'official', schedule: 'entered' });

    const audit = await t.db.query(
      `SELECT actor_id, action, changes FROM audit_log
        WHERE entity_type = 'holiday_schedule' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(audit[0]).toMatchObject({ action: 'update', changes: { year: 2027, source: '国办发明电〔2026〕12号' } });

    const cleared = await t.as(admin).delete('/api/v1/holidays/2027');
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ source: 'statutory', schedule: null });
    const again = await t.as(admin).delete('/api/v1/holidays/2027');
    expect(again.status).toBe(200);
    expect(again.body.source).toBe('statutory');
    const actions = await t.db.query(
      `SELECT action FROM audit_log WHERE entity_type = 'holiday_schedule' ORDER BY created_at`,
    );
    expect(actions.map((a: { action: string }) => a.action).slice(-2)).toEqual(['update', 'delete']);
  });

  it(
    'sends no follow-up digest on the law days of a year whose schedule is unknown, ' +
      'and follows the schedule once entered',
    async () => {
      const c = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body as { id: string };
      clock.travelTo(new Date('2027-01-20T09:00:00+08:00'));
      const due = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
        customerId: c.id,
        butlerId: ours.butler.id,
        dueAt: '2027-02-01T10:00:00+08:00',
        title: '春节用酒确认',
      });
      expect(due.status).toBe(201);

      // 2027-01-01 (a Friday), 02-06 (初一) and 02-08 (a Monday, 初三): the law's days off.
      for (const at of ['2027-01-01T09:00:00+08:00', '2027-02-06T09:00:00+08:00', '2027-02-08T09:00:00+08:00']) {
        expect((await digestsOn(at)).digests).toBe(0);
        expect(await digestRow(at.slice(0, 10))).toEqual([]);
      }
      // 2027-02-09, a Tuesday: a working day as far as the law knows.
      expect((await digestsOn('2027-02-09T09:00:00+08:00')).digests).toBeGreaterThanOrEqual(1);
      expect(await digestRow('2027-02-09')).toHaveLength(1);

      // With the notice: 02-10 is an extra day off, Sunday 02-14 a make-up working day.
      expect((await t.as(admin).put('/api/v1/holidays/2027', { text: NOTICE_2027 })).status).toBe(200);
      expect((await digestsOn('2027-02-10T09:00:00+08:00')).digests).toBe(0);
      expect((await digestsOn('2027-02-14T09:00:00+08:00')).digests).toBeGreaterThanOrEqual(1);
      expect(await digestRow('2027-02-14')).toHaveLength(1);
      await t.as(admin).delete('/api/v1/holidays/2027');
    },
  );

  it('reminds from 1 November while next year is unknown, in /health and for the console', async () => {
    clock.travelTo(new Date('2026-10-31T12:00:00+08:00'));
    expect((await t.as(ours.butler.token).get('/api/v1/holidays/next-year')).body).toEqual({
      year: 2027,
      known: false,
      reminder: false,
    });
    clock.travelTo(new Date('2026-11-01T08:00:00+08:00'));
    expect((await t.as(admin).get('/api/v1/holidays/next-year')).body).toEqual({
      year: 2027,
      known: false,
      reminder: true,
    });
    const health = await t.anonymous.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.calendar).toEqual({
      status: 'up',
      nextYear: 2027,
      nextYearSchedule: 'statutory',
      reminder: true,
    });

    await t.as(admin).put('/api/v1/holidays/2027', { text: NOTICE_2027 });
    expect((await t.as(admin).get('/api/v1/holidays/next-year')).body).toEqual({
      year: 2027,
      known: true,
      reminder: false,
    });
    expect((await t.anonymous.get('/health')).body.info.calendar).toMatchObject({
      nextYearSchedule: 'official',
      reminder: false,
    });
    await t.as(admin).delete('/api/v1/holidays/2027');
  });
});
