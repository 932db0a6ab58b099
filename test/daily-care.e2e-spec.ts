import { Clock } from '@app/common';
import { CampaignRunner, DailyCareService } from '@app/greetings';

import { customerBody, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

describe('the morning round: birthdays, festival campaigns, follow-up digest', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let ours: Team;
  let clock: Clock;

  const client = async (overrides: Record<string, unknown>) =>
    (await t.as(ours.butler.token).post('/api/v1/customers', customerBody(overrides))).body as {
      id: string;
      email: string;
    };
  const campaignByKey = async (key: string) =>
    (
      await t.db.query('SELECT id, status, name, manager_id, send_at FROM greeting_campaigns WHERE auto_key = $1', [
        key,
      ])
    )[0];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ ours } = await twoTeams(t));
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('greets a lunar birthday on this year solar date, at 09:00 Shanghai, once', async () => {
    const lunar = await client({ birthday: { date: '1975-08-15', calendar: 'lunar' } }); // 2027-09-15
    const solar = await client({ birthday: { date: '09-15', calendar: 'solar' } });
    const notToday = await client({ birthday: { date: '1975-08-16', calendar: 'lunar' } });
    clock.travelTo(new Date('2027-09-15T09:00:30+08:00'));
    const first = await t.app.get(DailyCareService).run('2027-09-15');
    const again = await t.app.get(DailyCareService).run('2027-09-15');
    expect(first.birthdayCampaign).toBe(true);
    expect(again.birthdayCampaign).toBe(false);
    const campaign = await campaignByKey('birthday:2027-09-15');
    expect(campaign.send_at.toISOString()).toBe('2027-09-15T01:00:00.000Z');
    await t.app.get(CampaignRunner).reconcile(0);
    // The birthday campaign greets the whole client base: in the shared test database another
    // file's client born on 09-15 may be one whose message fails. Finished either way.
    await eventually(
      async () => (await campaignByKey('birthday:2027-09-15')).status,
      (s) => s === 'completed' || s === 'completed_with_failures',
      30_000,
    );
    expect(sink.to(lunar.email)).toHaveLength(1);
    expect(sink.to(lunar.email)[0].parsed.subject).toContain('生日快乐');
    expect(sink.to(solar.email)).toHaveLength(1);
    expect(sink.to(notToday.email)).toHaveLength(0);
  });

  it('drafts each team festival campaign ahead, and sends it once the manager confirms', async () => {
    const c = await client({ tier: 'gold', tags: ['重阳名单'] });
    clock.travelTo(new Date('2027-10-03T09:00:00+08:00'));
    // 重阳节 2027 is 10-08, within the default 7 days.
    const result = await t.app.get(DailyCareService).run('2027-10-03');
    expect(result.festivalCampaigns).toBeGreaterThanOrEqual(1);
    const draft = await campaignByKey(`festival:double_ninth:2027:${ours.manager.id}`);
    expect(draft).toMatchObject({ status: 'draft', manager_id: ours.manager.id });
    expect(draft.name).toContain('重阳节问候');
    const listed = await t.as(ours.manager.token).get('/api/v1/greetings/campaigns');
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(draft.id);

    expect(
      (await t.as(ours.manager.token).patch(`/api/v1/greetings/campaigns/${draft.id}`, { status: 'scheduled' })).status,
    ).toBe(200);
    clock.travelTo(new Date('2027-10-08T09:00:30+08:00'));
    await t.app.get(CampaignRunner).reconcile(0);
    await eventually(
      async () => (await campaignByKey(`festival:double_ninth:2027:${ours.manager.id}`)).status,
      (s) => s === 'completed',
      30_000,
    );
    expect(sink.to(c.email)).toHaveLength(1);
    expect(sink.to(c.email)[0].parsed.text).toContain('九九重阳');
  });

  it('emails each butler one digest of today and overdue follow-ups on working days only', async () => {
    const c = await client({ name: '赵敏' });
    await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: c.id,
      butlerId: ours.butler.id,
      dueAt: '2026-11-23T10:00:00+08:00',
      title: '春节用酒确认',
    });
    await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: c.id,
      butlerId: ours.butler.id,
      dueAt: '2026-11-20T10:00:00+08:00',
      title: '品鉴会邀请',
    });
    const sunday = await t.app.get(DailyCareService).run('2026-11-22');
    expect(sunday.digests).toBe(0);
    await t.app.get(DailyCareService).run('2026-11-23');
    await t.app.get(DailyCareService).run('2026-11-23');
    const digests = await eventually(
      async () => sink.to(ours.butler.email),
      (m) => m.length > 0,
      15_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.to(ours.butler.email)).toHaveLength(1);
    expect(digests[0].parsed.subject).toBe('今日回访提醒（2026-11-23）：2 项');
    expect(digests[0].parsed.text).toContain('已逾期（1）');
    expect(digests[0].parsed.text).toContain('赵敏 · 品鉴会邀请');
    expect(digests[0].parsed.text).toContain('今天到期（1）');
  });
});
