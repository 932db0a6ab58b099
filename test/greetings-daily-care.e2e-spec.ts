import { Clock } from '@app/common';
import { CampaignRunner, DailyCareService } from '@app/greetings';

import { customerBody, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

// The morning round when things went wrong: a round that never ran, clients deleted since their
// follow-ups were planned. (test/daily-care.e2e-spec.ts covers the round itself.)
describe('greetings: the morning round after a missed day, and deleted clients', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let clock: Clock;

  const client = async (overrides: Record<string, unknown>) => {
    const res = await t.as(ours.butler.token).post('/api/v1/customers', customerBody(overrides));
    if (res.status !== 201) throw new Error(res.text);
    return res.body as { id: string; email: string; name: string };
  };
  const campaignByKey = async (key: string) =>
    (await t.db.query('SELECT id, status, send_at FROM greeting_campaigns WHERE auto_key = $1', [key]))[0];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('leaves deleted clients out of the follow-up digest', async () => {
    const kept = await client({ name: '钱学文' });
    const gone = await client({ name: '孙已删' });
    for (const c of [kept, gone]) {
      const res = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
        customerId: c.id,
        butlerId: ours.butler.id,
        dueAt: '2028-03-08T10:00:00+08:00',
        title: '回访',
      });
      expect(res.status).toBe(201);
    }
    expect((await t.as(ours.butler.token).delete(`/api/v1/customers/${gone.id}`)).status).toBe(204);
    // 2028-03-10 is a Friday. Other test files' butlers (one database per run) get digests too:
    // this butler's own says what the round left out.
    expect((await t.app.get(DailyCareService).run('2028-03-10')).digests).toBeGreaterThanOrEqual(1);
    const [digest] = await eventually(
      async () => sink.to(ours.butler.email),
      (m) => m.length > 0,
      15_000,
    );
    expect(digest.parsed.subject).toBe('今日回访提醒（2028-03-10）：1 项');
    expect(digest.parsed.text).toContain('钱学文 · 回访');
    expect(digest.parsed.text).not.toContain('孙已删');
  });

  it(
    'creates the birthday campaign a missed round did not, ' + 'a day late at most, once, and shows it to admins',
    async () => {
      const twoDaysAgo = await client({ birthday: { date: '1980-04-10', calendar: 'solar' } });
      const yesterday = await client({ birthday: { date: '1980-04-11', calendar: 'solar' } });
      const today = await client({ birthday: { date: '1980-04-12', calendar: 'solar' } });
      // The workers were down from before 09:00 on 04-11 until the morning of 04-12: the round of
      // 04-11 never ran (nor, here, that of 04-10).
      clock.travelTo(new Date('2028-04-12T09:00:30+08:00'));
      const first = await t.app.get(DailyCareService).run('2028-04-12');
      const again = await t.app.get(DailyCareService).run('2028-04-12');
      expect(first).toMatchObject({ birthdayCampaign: true, birthdayCatchUps: 1 });
      expect(again).toMatchObject({ birthdayCampaign: false, birthdayCatchUps: 0 });
      // Two days late reads as forgotten: not caught up.
      expect(await campaignByKey('birthday:2028-04-10')).toBeUndefined();
      const missed = await campaignByKey('birthday:2028-04-11');
      // Sent at this morning's send hour, not back-dated to a time nobody was sending.
      expect(missed.send_at.toISOString()).toBe('2028-04-12T01:00:00.000Z');

      await t.app.get(CampaignRunner).reconcile(0);
      for (const key of ['birthday:2028-04-11', 'birthday:2028-04-12']) {
        await eventually(
          async () => (await campaignByKey(key)).status,
          (s) => s === 'completed',
          30_000,
        );
      }
      for (const c of [yesterday, today]) {
        expect(sink.to(c.email)).toHaveLength(1);
        expect(sink.to(c.email)[0].parsed.subject).toContain('生日快乐');
      }
      expect(sink.to(twoDaysAgo.email)).toHaveLength(0);

      // Automatic birthday campaigns open as before (only manual ones are refused).
      const shown = await t.as(admin).get(`/api/v1/greetings/campaigns/${missed.id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ occasion: 'birthday', name: '2028-04-11 生日祝福', status: 'completed' });
      expect(shown.body.progress.sent).toBeGreaterThanOrEqual(1);
    },
  );
});
