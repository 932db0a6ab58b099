import { randomInt, randomUUID } from 'node:crypto';

import { Clock } from '@app/common';
import { MailSenderService, OutboxReconciler, OutboxService } from '@app/mail';

import { loadConfig } from '../libs/config/src/app-config';
import { prepareDatabase } from '../libs/database/src/prepare-database';
import { customerBody, defaultTemplateIds, Team, twoTeams } from './support/factories';
import { PrivatePostgres } from './support/private-postgres';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

// Outbox v2 (issue 16): claim, send with no database connection held, mark.
const CAMPAIGNS = '/api/v1/greetings/campaigns';
// A weekday morning, outside quiet hours.
const MORNING = new Date('2027-03-10T10:00:00+08:00');

const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@client.test`;

async function customTemplate(t: TestApp, admin: string): Promise<string> {
  return (await defaultTemplateIds(t, admin)).get('custom')!;
}

// A campaign to `n` new clients of our team, sent now; its id and the clients' addresses.
async function campaignTo(
  t: TestApp,
  ours: Team,
  templateId: string,
  n: number,
): Promise<{ id: string; emails: string[] }> {
  const tag = `外发${randomInt(1e9)}`;
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ tags: [tag] }));
    if (res.status !== 201) throw new Error(res.text);
    emails.push(res.body.email as string);
  }
  const clock = t.app.get(Clock);
  const res = await t.as(ours.manager.token).post(CAMPAIGNS, {
    name: `外发 ${tag}`,
    occasion: 'custom',
    templateId,
    sendAt: new Date(clock.now().getTime() + 200).toISOString(),
    audience: { scope: 'team', tags: [tag] },
  });
  if (res.status !== 201) throw new Error(res.text);
  return { id: res.body.id as string, emails };
}

describe('outbox: the mail server down for a while', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let templateId: string;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url, OUTBOX_PROBE_MS: '300' } });
    ({ admin, ours } = await twoTeams(t));
    templateId = await customTemplate(t, admin);
    t.app.get(Clock).travelTo(MORNING);
  });
  afterAll(async () => {
    t.app.get(Clock).reset();
    await t.close();
    await sink.stop();
  });

  it(
    'keeps messages pending with their attempts unspent, says so on /health and the campaign, ' +
      'and sends everything within 10 s of its return, once, failing none',
    async () => {
      await sink.stop();
      const emails = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const to = address('outage');
          const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
          expect(res.status).toBe(202);
          return { to, id: res.body.id as string };
        }),
      );
      const campaign = await campaignTo(t, ours, templateId, 5);

      const health = await eventually(
        async () => (await t.anonymous.get('/health')).body,
        (b) => b.info?.channels?.email?.state === 'open',
      );
      expect(health.status).toBe('ok');
      expect(health.info.channels.email.since).toEqual(expect.any(String));
      expect(health.info.channels.sms).toEqual({ state: 'closed' });
      const progress = await eventually(
        async () => (await t.as(ours.manager.token).get(`${CAMPAIGNS}/${campaign.id}`)).body,
        (c) => c.status === 'sending' && c.progress?.outage !== null && c.progress?.outage !== undefined,
      );
      expect(progress.progress.outage).toEqual({ channel: 'email', since: health.info.channels.email.since });
      expect(progress.progress).toMatchObject({ sent: 0, failed: 0, pending: 5 });

      // Past what 4 attempts with a 100 ms backoff took before: nothing failed, no attempt spent.
      await new Promise((r) => setTimeout(r, 3_000));
      const waiting: { status: string; attempts: number }[] = await t.db.query(
        `SELECT status, attempts FROM messages WHERE id = ANY($1) OR campaign_id = $2`,
        [emails.map((e) => e.id), campaign.id],
      );
      expect(waiting).toHaveLength(11);
      // (A probe may be out at this instant: claimed, refused, and pending again a moment later.)
      expect(waiting.every((m) => m.attempts === 0 && ['pending', 'sending'].includes(m.status))).toBe(true);
      expect(waiting.filter((m) => m.status === 'sending').length).toBeLessThanOrEqual(1);

      const back = Date.now();
      await sink.start();
      await eventually(
        async () =>
          (
            await t.db.query(
              `SELECT count(*)::int AS n FROM messages WHERE (id = ANY($1) OR campaign_id = $2) AND status = 'sent'`,
              [emails.map((e) => e.id), campaign.id],
            )
          )[0].n,
        (n) => n === 11,
        10_000,
      );
      expect(Date.now() - back).toBeLessThan(10_000);
      for (const to of [...emails.map((e) => e.to), ...campaign.emails]) expect(sink.to(to)).toHaveLength(1);
      const done = await eventually(
        async () => (await t.as(ours.manager.token).get(`${CAMPAIGNS}/${campaign.id}`)).body,
        (c) => c.status === 'completed',
      );
      expect(done.progress).toMatchObject({ sent: 5, failed: 0, outage: null });
      expect((await t.anonymous.get('/health')).body.info.channels.email).toEqual({ state: 'closed' });
    },
    60_000,
  );
});

describe('outbox: messages past OUTBOX_MAX_OUTAGE', () => {
  it('fails a message waiting on an outage longer than OUTBOX_MAX_OUTAGE, with the reason', async () => {
    const sink = await new SmtpSink().start();
    const t = await bootApp({
      withWorkers: true,
      env: { SMTP_URL: sink.url, OUTBOX_PROBE_MS: '200', OUTBOX_MAX_OUTAGE: '1s' },
    });
    try {
      await sink.stop();
      const res = await t.as(await t.adminToken()).post('/api/v1/admin/test-email', { to: address('late') });
      const row = await eventually(
        async () => (await t.db.query('SELECT status, last_error FROM messages WHERE id = $1', [res.body.id]))[0],
        (r) => r.status === 'failed',
      );
      expect(row.last_error).toMatch(/^email provider unreachable since /);
    } finally {
      await t.close();
    }
  }, 30_000);
});

describe('outbox: leases', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const record = async (to: string) =>
    t.app.get(OutboxService).record({
      key: `lease:${randomUUID()}`,
      purpose: 'test',
      toAddress: to,
      subject: '租约',
      bodyText: '租约',
    });

  it('sends again a message whose worker died holding it (expired lease), once', async () => {
    const to = address('orphan');
    const message = await record(to);
    // What a worker SIGKILLed between its claim and its mark leaves.
    await t.db.query(
      `UPDATE messages SET status = 'sending', lease_owner = 'gone-host:1:abcdef',
              lease_until = now() - interval '1 second', scheduled_at = now() - interval '1 minute'
        WHERE id = $1`,
      [message.id],
    );
    await t.app.get(OutboxReconciler).reconcile(0);
    const row = await eventually(
      async () => (await t.db.query('SELECT status, lease_owner FROM messages WHERE id = $1', [message.id]))[0],
      (r) => r.status === 'sent',
    );
    expect(row.lease_owner).toBeNull();
    expect(sink.to(to)).toHaveLength(1);
  });

  it("leaves a live worker's lease alone, expired or not", async () => {
    const to = address('held');
    const message = await record(to);
    const sender = t.app.get(MailSenderService);
    // This process's own worker id, alive in Redis; the message in its hands.
    const owner = (sender as unknown as { leases: { owner: string; held: Set<string> } }).leases;
    owner.held.add(message.id);
    try {
      await t.db.query(
        `UPDATE messages SET status = 'sending', lease_owner = $2, lease_until = now() - interval '1 second'
          WHERE id = $1`,
        [message.id, owner.owner],
      );
      await t.app.get(OutboxReconciler).reconcile(0);
      const [row] = await t.db.query('SELECT status FROM messages WHERE id = $1', [message.id]);
      expect(row.status).toBe('sending');
    } finally {
      owner.held.delete(message.id);
      await t.db.query(`UPDATE messages SET status = 'skipped', skip_reason = 'test' WHERE id = $1`, [message.id]);
    }
    expect(sink.to(to)).toHaveLength(0);
  });
});

// The fault-injection run's finding: each sending lane held a pool connection through its whole SMTP
// exchange, and API requests in the same process waited 10 s for one and answered 500.
describe("outbox: a campaign sending through a slow mail server and the API's pool", () => {
  it('leaves the pool to API requests: reads answer at once while five sends are in flight', async () => {
    const sink = await new SmtpSink().start();
    // Each send takes 1.5 s at the server: a lane holding a connection would hold it that long.
    sink.delayMs = 1_500;
    const t = await bootApp({
      withWorkers: true,
      env: { SMTP_URL: sink.url, DATABASE_POOL_SIZE: '3', WORKER_CONCURRENCY: '5' },
    });
    try {
      const { admin, ours } = await twoTeams(t);
      t.app.get(Clock).travelTo(MORNING);
      const campaign = await campaignTo(t, ours, await customTemplate(t, admin), 25);
      await eventually(
        async () => sink.received.length,
        (n) => n >= 1,
        20_000,
      );
      const timings: { status: number; ms: number }[] = [];
      for (let i = 0; i < 15; i++) {
        const started = Date.now();
        const res = await t.as(ours.manager.token).get('/api/v1/customers?limit=20');
        timings.push({ status: res.status, ms: Date.now() - started });
      }
      // Still sending while the reads ran: the lanes were busy all along.
      expect(sink.received.length).toBeLessThan(campaign.emails.length);
      expect(timings.map((x) => x.status)).toEqual(Array(15).fill(200));
      // Under one send's 1.5 s (on a loaded machine a read alone may take a few hundred ms): no read
      // waited for a lane's connection.
      expect(Math.max(...timings.map((x) => x.ms))).toBeLessThan(1_500);
      await eventually(
        async () => sink.received.length,
        (n) => n === campaign.emails.length,
        30_000,
      );
    } finally {
      t.app.get(Clock).reset();
      await t.close();
      await sink.stop();
    }
  }, 60_000);
});

// The fault-injection run's finding: a PostgreSQL restart re-sent every message in flight. On a
// PostgreSQL cluster of this test's own, stopped and started again while messages are being sent.
describe('outbox: PostgreSQL restarted mid-send', () => {
  let pg: PrivatePostgres;
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const url = pg.url('butler_outbox');
    await prepareDatabase(loadConfig({ ...process.env, DATABASE_URL: url }).database);
    sink = await new SmtpSink().start();
    t = await bootApp({
      withWorkers: true,
      env: { DATABASE_URL: url, SMTP_URL: sink.url, DATABASE_POOL_SIZE: '6', OUTBOX_LEASE_MS: '3000' },
    });
  }, 90_000);
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await t?.close().catch(() => undefined);
    await sink?.stop();
    await pg?.drop();
  });

  it('sends each message exactly once and marks every one sent: 0 duplicates, 0 lost', async () => {
    const { admin, ours } = await twoTeams(t);
    const templateId = await customTemplate(t, admin);
    t.app.get(Clock).travelTo(MORNING);
    // Each send is held 150 ms by the server, so several are in flight when PostgreSQL stops.
    sink.delayMs = 150;
    const outbox = t.app.get(OutboxService);
    const singles: { id: string; to: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const to = address('restart');
      const message = await outbox.record({
        key: `restart:${randomUUID()}`,
        purpose: 'test',
        toAddress: to,
        subject: '重启测试',
        bodyText: '正文',
      });
      singles.push({ id: message.id, to });
    }
    const campaign = await campaignTo(t, ours, templateId, 30);
    await outbox.enqueue(
      await t.db.query(`SELECT id, scheduled_at AS "scheduledAt" FROM messages WHERE id = ANY($1)`, [
        singles.map((s) => s.id),
      ]),
    );

    await eventually(
      async () => sink.received.length,
      (n) => n >= 8,
      20_000,
    );
    await pg.stop();
    const inFlightAtStop = sink.received.length;
    await new Promise((r) => setTimeout(r, 2_000));
    await pg.start();

    const expected = [...singles.map((s) => s.to), ...campaign.emails];
    await eventually(
      async () =>
        (
          await t.db
            .query(
              `SELECT count(*)::int AS n FROM messages WHERE (id = ANY($1) OR campaign_id = $2) AND status = 'sent'`,
              [singles.map((s) => s.id), campaign.id],
            )
            .catch(() => [{ n: -1 }])
        )[0].n,
      (n) => n === expected.length,
      60_000,
    );
    // Time for a copy to arrive, were one on its way.
    await new Promise((r) => setTimeout(r, 1_000));
    const counts = expected.map((to) => sink.to(to).length);
    expect(inFlightAtStop).toBeLessThan(expected.length);
    expect(counts.filter((n) => n === 0)).toHaveLength(0);
    expect(counts.filter((n) => n > 1)).toHaveLength(0);
    const ids = new Set(sink.received.map((m) => m.parsed.messageId));
    expect(ids.size).toBe(sink.received.length);
    const rows: { status: string }[] = await t.db.query(
      `SELECT status FROM messages WHERE id = ANY($1) OR campaign_id = $2`,
      [singles.map((s) => s.id), campaign.id],
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    await eventually(
      async () => (await t.as(ours.manager.token).get(`${CAMPAIGNS}/${campaign.id}`)).body.status,
      (s) => s === 'completed',
      30_000,
    );
  }, 120_000);
});
