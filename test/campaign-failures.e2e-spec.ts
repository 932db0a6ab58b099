import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import { customerBody, defaultTemplateIds, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

type Campaign = {
  id: string;
  status: string;
  failures: { reason: string; count: number }[];
  progress: {
    sent: number;
    failed: number;
    pending: number;
    retryable: number;
    failures: { reason: string; count: number }[];
  } | null;
};

// A campaign whose messages include failures says so, with counts by reason, and its failed
// messages can be sent once more after the cause is fixed (issue 16): once per message, never a
// second copy to a client already greeted.
describe('campaigns: completed with failures, retry-failed', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  let templateId: string;

  const CAMPAIGNS = '/api/v1/greetings/campaigns';
  // A weekday morning (no quiet hours).
  const MORNING = new Date('2027-03-10T10:00:00+08:00');
  const client = async (tag: string) => {
    const res = await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ tags: [tag] }));
    if (res.status !== 201) throw new Error(res.text);
    return res.body as { id: string; email: string };
  };
  const campaign = async (id: string, token = ours.manager.token) =>
    (await t.as(token).get(`${CAMPAIGNS}/${id}`)).body as Campaign;
  const ended = (id: string) =>
    eventually(
      () => campaign(id),
      (c) => c.status === 'completed' || c.status === 'completed_with_failures',
      30_000,
    );
  const start = async (tag: string) => {
    const res = await t.as(ours.manager.token).post(CAMPAIGNS, {
      name: `问候 ${tag}`,
      occasion: 'custom',
      templateId,
      sendAt: new Date(clock.now().getTime() + 200).toISOString(),
      audience: { scope: 'team', tags: [tag] },
    });
    if (res.status !== 201) throw new Error(res.text);
    return res.body.id as string;
  };
  const retry = (id: string, token = ours.manager.token) => t.as(token).post(`${CAMPAIGNS}/${id}/retry-failed`, {});

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    templateId = (await defaultTemplateIds(t, admin)).get('custom')!;
    clock = t.app.get(Clock);
  });
  beforeEach(() => clock.travelTo(MORNING));
  afterEach(() => {
    clock.reset();
    sink.reply = () => undefined;
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('ends completed_with_failures with counts by reason; retry-failed re-sends the failed ones once', async () => {
    const tag = `部分失败${randomInt(1e6)}`;
    const fine = [await client(tag), await client(tag)];
    const gone = [await client(tag), await client(tag)];
    const busy = await client(tag);
    // Two mailboxes refused for good (550), one server that says "later" (451) until attempts run out.
    const refused = new Set(gone.map((c) => c.email));
    sink.reply = (address) => (refused.has(address) ? 550 : address === busy.email ? 451 : undefined);
    const id = await start(tag);

    const done = await ended(id);
    expect(done.status).toBe('completed_with_failures');
    expect(done.progress).toMatchObject({ sent: 2, failed: 3, pending: 0, retryable: 3 });
    expect(done.progress!.failures).toEqual([
      { reason: 'rejected', count: 2 },
      { reason: 'deferred', count: 1 },
    ]);
    expect(done.failures).toEqual(done.progress!.failures);
    // The list says it too.
    const listed = ((await t.as(ours.manager.token).get(CAMPAIGNS)).body.items as Campaign[]).find((c) => c.id === id)!;
    expect(listed).toMatchObject({ status: 'completed_with_failures', failures: done.progress!.failures });
    for (const c of [...fine, ...gone, busy]) expect(sink.to(c.email)).toHaveLength(fine.includes(c) ? 1 : 0);

    // Only the campaign's team's manager or an admin: a butler is refused, another team's manager
    // does not learn it exists; neither changes anything.
    expect((await retry(id, ours.butler.token)).status).toBe(403);
    const outsider = await retry(id, theirs.manager.token);
    expect(outsider.status).toBe(404);
    expect((await campaign(id)).progress).toMatchObject({ failed: 3, retryable: 3 });

    // The cause is fixed: the three failed messages go out, each once; the two sent are not re-sent.
    sink.reply = () => undefined;
    const res = await retry(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ retried: 3, campaign: { id } });
    expect(['sending', 'completed']).toContain(res.body.campaign.status);
    const again = await ended(id);
    expect(again.status).toBe('completed');
    expect(again.progress).toMatchObject({ sent: 5, failed: 0, pending: 0, retryable: 0, failures: [] });
    for (const c of [...fine, ...gone, busy]) expect(sink.to(c.email)).toHaveLength(1);
    const rows: { attempts: number; retried: boolean }[] = await t.db.query(
      `SELECT attempts, retried_at IS NOT NULL AS retried FROM messages
        WHERE campaign_id = $1 AND customer_id = ANY($2)`,
      [id, [...gone, busy].map((c) => c.id)],
    );
    // Attempts started again: each retried message went out at its first new attempt.
    expect(rows).toEqual(Array(3).fill({ attempts: 1, retried: true }));
    const audit = await t.db.query(
      `SELECT actor_id, changes FROM audit_log WHERE entity_type = 'greeting_campaign' AND entity_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      {
        actor_id: ours.manager.id,
        changes: { status: { from: 'completed_with_failures', to: 'sending' }, retriedMessages: 3 },
      },
    ]);

    // Nothing failed any more: a second retry is a 409 and sends nothing.
    const second = await retry(id);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'CAMPAIGN_NOTHING_TO_RETRY' });
    expect(sink.received.filter((m) => [...fine, ...gone, busy].some((c) => m.to.includes(c.email)))).toHaveLength(5);
  });

  it('retries a failed message once only: still failing, it stays failed and a second retry is a 409', async () => {
    const tag = `仍失败${randomInt(1e6)}`;
    const fine = await client(tag);
    const gone = await client(tag);
    sink.reply = (address) => (address === gone.email ? 550 : undefined);
    const id = await start(tag);
    expect((await ended(id)).status).toBe('completed_with_failures');

    // An admin may retry any team's campaign.
    const first = await retry(id, admin);
    expect(first.status).toBe(200);
    expect(first.body.retried).toBe(1);
    const after = await ended(id);
    expect(after.status).toBe('completed_with_failures');
    expect(after.progress).toMatchObject({
      sent: 1,
      failed: 1,
      retryable: 0,
      failures: [{ reason: 'rejected', count: 1 }],
    });

    sink.reply = () => undefined;
    const second = await retry(id);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'CAMPAIGN_ALREADY_RETRIED', failed: 1 });
    expect((await campaign(id)).status).toBe('completed_with_failures');
    expect(sink.to(gone.email)).toHaveLength(0);
    expect(sink.to(fine.email)).toHaveLength(1);
  });

  it('answers 409 for a campaign with nothing failed, or one that has not finished', async () => {
    const tag = `全成功${randomInt(1e6)}`;
    const fine = await client(tag);
    const id = await start(tag);
    expect((await ended(id)).status).toBe('completed');
    const res = await retry(id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CAMPAIGN_NOTHING_TO_RETRY' });
    expect((await campaign(id)).status).toBe('completed');
    expect(sink.to(fine.email)).toHaveLength(1);

    const draft = await t.as(ours.manager.token).post(CAMPAIGNS, {
      name: `草稿 ${tag}`,
      occasion: 'custom',
      templateId,
      sendAt: '2027-03-11T10:00:00+08:00',
      audience: { scope: 'team', tags: [tag] },
      draft: true,
    });
    const notFinished = await retry(draft.body.id);
    expect(notFinished.status).toBe(409);
    expect(notFinished.body).toMatchObject({ code: 'CAMPAIGN_NOT_FINISHED', status: 'draft' });
    expect((await retry('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
