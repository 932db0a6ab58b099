import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

import { DatabaseConfig } from '../../libs/config/src/app-config';
import { runMigrations } from '../../libs/database/src/prepare-database';
import { PrivatePostgres } from '../../test/support/private-postgres';
import { Faults, HEAP_RULE, markdownTable, MEMORY_RULE, OUTAGE_GRACE_MS, RSS_JUDGED_FROM_S, runChecks } from './checks';
import {
  AppProcess,
  Cleanup,
  createScratchDatabase,
  freePort,
  HEAP_EVERY_MS,
  LOOPBACK,
  MemorySampler,
  PrivateRedis,
  ROOT,
  scratchDatabaseName,
  SinkHandle,
  sleep,
  startApp,
  startSink,
  waitFor,
} from './services';
import { Butler, Http, runWorkload, shanghaiIso } from './workload';

// `npm run chaos [-- --short | --minutes=N | --seconds=N | --clients=N | --butlers=N]`
//
// A mixed workload against the real processes (one API, two workers, from dist/) for a bounded
// time — butlers reading and writing clients, purchases arriving, a greeting campaign to the
// whole client base sending, surveys answered, test emails, /health polled — while:
//   at 15% of the time  one worker is SIGKILLed mid-send and another is started;
//   30%–55%             the SMTP sink refuses ~20% of attempts with 451;
//   65%                 Redis crashes (SIGKILL, no persistence) and comes back empty seconds later;
//   85%                 PostgreSQL stops (fast shutdown) and starts again seconds later.
// The sink accepts at a pace that spreads the campaign over ~75% of the time, so every fault
// lands while it is sending; when the workload stops the pace is lifted and the run waits (bounded)
// until every message is out. Then it checks, from PostgreSQL and the sink's record, and prints
// one Markdown table (also written to bench/results/chaos-latest.md). Exit code 1 when a check
// fails or the run could not complete.
//
// It starts its own redis-server (CHAOS_REDIS_SERVER, default `redis-server` on PATH), SMTP sink
// and app processes on spare loopback ports, and its own PostgreSQL cluster (pg_createcluster on a
// spare port; the database owned by the non-superuser role butler_chaos), and removes all of it at
// the end, also on Ctrl-C.

interface Options {
  short: boolean;
  seconds: number;
  clients: number;
  butlers: number;
  invitations: number;
}

const PASSWORD = 'chaos-butler-2026';
const QUEUE_PREFIX = 'chaos';
const CAMPAIGNS_QUEUE = 'campaigns';
const REFUSE_SHARE = 0.2;
// Purchases dated now, 20 and 45 days ago: with the default cadence (day 3, day 30; steps more
// than 7 days overdue skipped) they imply 2, 1 and 0 follow-ups.
const PURCHASE_AGE_DAYS = [0, 0, 20, 45];

export function parseOptions(argv: string[]): Options {
  const flag = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const int = (name: string): number | undefined => {
    const raw = flag(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got ${raw})`);
    return n;
  };
  const unknown = argv.filter((a) => !/^--(short|minutes=.*|seconds=.*|clients=.*|butlers=.*)$/.test(a));
  if (unknown.length > 0)
    throw new Error(
      `Unknown argument(s) ${unknown.join(' ')}; use --short, --minutes=N, --seconds=N, --clients=N, --butlers=N`,
    );
  const short = argv.includes('--short');
  const seconds = int('seconds') ?? (int('minutes') !== undefined ? (int('minutes') as number) * 60 : short ? 45 : 300);
  const clients = Math.round(int('clients') ?? (short ? 4_000 : 50_000));
  const butlers = Math.round(int('butlers') ?? (short ? 4 : 10));
  return { short, seconds, clients, butlers, invitations: Math.round(Math.max(500, seconds * 25)) };
}

const shanghaiDay = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

let activeCleanup: Cleanup | null = null;

// Ctrl-C / SIGTERM: undo everything, then exit.
export async function interrupt(): Promise<void> {
  await activeCleanup?.run();
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const started = Date.now();
  const log = (line: string): void =>
    console.error(`chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`);
  const cleanup = new Cleanup(log);
  activeCleanup = cleanup;
  const killOnExit = (): void => cleanup.killNow();
  process.once('exit', killOnExit);
  try {
    return await run(options, cleanup, log, started);
  } finally {
    log('cleaning up');
    await cleanup.run();
    activeCleanup = null;
    process.removeListener('exit', killOnExit);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function run(options: Options, cleanup: Cleanup, log: (line: string) => void, started: number): Promise<number> {
  // PostgreSQL of the run's own (a private cluster on a spare port), so it can be restarted
  // mid-campaign without touching anyone else's.
  const pg = await PrivatePostgres.create({ max_connections: '200' });
  cleanup.add(`drop the private PostgreSQL cluster ${pg.name}`, () => pg.drop());
  const superuserUrl = pg.url();
  const runId = Date.now().toString(36);
  log(
    `${options.short ? 'short' : 'full'} run: ${options.seconds} s of workload, ` +
      `${options.clients.toLocaleString('en-US')} clients, ${options.butlers} butlers, ${options.invitations} ` +
      'survey invitations',
  );

  // ── services ──
  const dbName = scratchDatabaseName();
  const dbUrl = await createScratchDatabase(superuserUrl, dbName, cleanup, log);
  const dbLogger = new (class extends Logger {
    override log(message: unknown): void {
      void message; // migrations' names are noise here
    }
  })('Database');
  await runMigrations(Object.assign(new DatabaseConfig(), { DATABASE_URL: dbUrl }), dbLogger);
  log(
    `private PostgreSQL ${pg.version}/${pg.name} on port ${pg.port}: database ${dbName} (owner butler_chaos) migrated`,
  );
  // A pool, not one client: it reconnects after the restart.
  const db = new Pool({ connectionString: dbUrl, application_name: 'butler-chaos', max: 3 });
  db.on('error', () => undefined);
  cleanup.add('close the database pool', () => db.end());

  const redis = new PrivateRedis(cleanup, process.env.CHAOS_REDIS_SERVER ?? 'redis-server');
  await redis.start();
  const sink = await startSink(cleanup);
  log(`private Redis on ${redis.url}, SMTP sink on port ${sink.port}`);

  const apiPort = await freePort();
  const adminEmail = 'chaos-admin@chaos.example.com';
  const adminPassword = randomBytes(12).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PUBLIC_BASE_URL: `http://${LOOPBACK}:${apiPort}`,
    DATABASE_URL: dbUrl,
    DEMO_DATA: 'false',
    REDIS_URL: redis.url,
    QUEUE_PREFIX,
    SMTP_URL: `smtp://${LOOPBACK}:${sink.port}`,
    MAIL_MAX_ATTEMPTS: '10',
    MAIL_BACKOFF_MS: '250',
    OUTBOX_RECONCILE_MS: '2000',
    // The SIGKILLed worker's claims go back to pending within a run (its liveness key lapses in 20 s).
    OUTBOX_LEASE_MS: '10000',
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Production requires the key of the secrets kept in settings (WeCom's); a run's own.
    SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    LOGIN_RATE_LIMIT: '100000',
    LOGIN_ACCOUNT_FAILURES: '100000',
    SURVEY_RATE_LIMIT: '100000000',
    LOG_LEVEL: 'warn',
    DOCS_ENABLED: 'false',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  const api = startApp('API', 'api', { ...env, PORT: String(apiPort), HOST: LOOPBACK }, cleanup);
  const base = `http://${LOOPBACK}:${apiPort}`;
  await waitFor(
    'the API',
    async () => (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200,
    api,
    90_000,
  );
  log(`API ready on ${base} (pid ${api.pid})`);

  // ── people, products, clients, invitations ──
  const http = new Http(base);
  const setup = async (
    method: string,
    path: string,
    token: string | undefined,
    json: unknown,
    expect: number,
  ): Promise<Record<string, unknown>> => {
    const res = await http.request('setup', method, path, { token, json, expect: [expect] });
    if (res.status !== expect)
      throw new Error(`setup: ${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body as Record<string, unknown>;
  };
  const login = async (email: string, password: string): Promise<string> =>
    (await setup('POST', '/api/v1/auth/login', undefined, { email, password }, 200)).accessToken as string;
  const adminToken = await login(adminEmail, adminPassword);
  const manager = await setup(
    'POST',
    '/api/v1/users',
    adminToken,
    { email: 'chaos-manager@chaos.example.com', name: '混沌经理', role: 'manager', password: PASSWORD },
    201,
  );
  const managerToken = await login('chaos-manager@chaos.example.com', PASSWORD);
  const butlers: Butler[] = [];
  for (let i = 1; i <= options.butlers; i++) {
    const email = `chaos-butler${i}@chaos.example.com`;
    const user = await setup(
      'POST',
      '/api/v1/users',
      adminToken,
      { email, name: `管家${i}号`, role: 'butler', managerId: manager.id, password: PASSWORD },
      201,
    );
    butlers.push({ id: user.id as string, email, token: await login(email, PASSWORD), customers: [] });
  }
  const productIds: { id: string; priceFen: number }[] = [];
  for (const [i, p] of [
    { name: '飞天53度', brand: '贵州茅台', aroma: 'jiang', abv: 53, priceFen: 149_900 },
    { name: '第八代五粮液', brand: '五粮液', aroma: 'nong', abv: 52, priceFen: 109_900 },
    { name: '青花汾酒30', brand: '汾酒', aroma: 'qing', abv: 53, priceFen: 89_900 },
  ].entries()) {
    const product = await setup(
      'POST',
      '/api/v1/products',
      adminToken,
      { sku: `CHAOS-${runId}-${i}`, volumeMl: 500, ...p },
      201,
    );
    productIds.push({ id: product.id as string, priceFen: p.priceFen });
  }
  const settings = (await setup('GET', '/api/v1/settings', adminToken, undefined, 200)).followUps as {
    cadence: { days: number }[];
    dueHour: number;
    skipOverdueAfterDays: number;
  };

  const seedStarted = Date.now();
  await db.query(
    `INSERT INTO customers (name, mobile, email, gender, city, tier, butler_id, consent_greetings, consent_surveys,
      consent_updated_at, consent_source)
     SELECT '客户' || i, '139' || lpad(i::text, 8, '0'),
            CASE WHEN hashint4(-i) % 37 = 0 THEN NULL ELSE 'client' || i || '@chaos.example.com' END,
            (CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END)::gender, '成都',
            (ARRAY['regular', 'silver', 'gold', 'black'])[1 + i % 4]::customer_tier,
            ($1::uuid[])[1 + i % $2::int], hashint4(i) % 10 <> 0, true, $4::timestamptz, 'store'
       FROM generate_series(1, $3::int) i`,
    [butlers.map((b) => b.id), butlers.length, options.clients, new Date()],
  );
  await db.query('ANALYZE customers');
  const owned = (await db.query<{ id: string; butler_id: string }>('SELECT id, butler_id FROM customers')).rows;
  for (const c of owned) butlers.find((b) => b.id === c.butler_id)?.customers.push(c.id);
  // Survey invitations as the sending path leaves them (status sent, token hash stored, the
  // summary's invitation counted), each with its interaction; the tokens exist only here. Their
  // times are this process's (the API's clock, $4), not PostgreSQL's now(): under faketime the two differ.
  const surveyTokens = Array.from({ length: options.invitations }, () => randomBytes(32).toString('base64url'));
  const invitees = surveyTokens.map(() => owned[Math.floor(Math.random() * owned.length)]);
  await db.query(
    `WITH t AS MATERIALIZED (
       SELECT gen_random_uuid() AS interaction_id, decode(h, 'hex') AS token_hash, c::uuid AS customer_id,
         b::uuid AS butler_id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS x(h, c, b)
     ), i AS (
       INSERT INTO interactions (id, customer_id, butler_id, kind, channel, outcome, occurred_at)
       SELECT interaction_id, customer_id, butler_id, 'follow_up', 'phone', 'reached',
         $4::timestamptz - interval '3 hours' FROM t
     ), s AS (
       INSERT INTO butler_daily_stats (butler_id, day, invitations, invitations_email)
       SELECT butler_id, (($4::timestamptz - interval '1 hour') AT TIME ZONE 'Asia/Shanghai')::date,
         count(*), count(*) FROM t GROUP BY 1, 2
       ON CONFLICT (butler_id, day) DO UPDATE SET invitations = butler_daily_stats.invitations + EXCLUDED.invitations,
         invitations_email = butler_daily_stats.invitations_email + EXCLUDED.invitations_email
     )
     INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, status, send_at, token_hash,
       sent_at, expires_at, created_at)
     SELECT customer_id, butler_id, interaction_id, 'follow_up', 'sent', $4::timestamptz - interval '1 hour',
       token_hash, $4::timestamptz - interval '1 hour', $4::timestamptz + interval '13 days',
       $4::timestamptz - interval '3 hours'
       FROM t`,
    [
      surveyTokens.map((t) => createHash('sha256').update(t).digest('hex')),
      invitees.map((c) => c.id),
      invitees.map((c) => c.butler_id),
      new Date(),
    ],
  );
  log(
    `${options.clients.toLocaleString('en-US')} clients and ${surveyTokens.length} survey invitations seeded in ` +
      `${((Date.now() - seedStarted) / 1000).toFixed(1)} s`,
  );

  // ── workers ──
  const workerCount = (): Promise<number> => redis.workers(QUEUE_PREFIX, CAMPAIGNS_QUEUE);
  const rss = new MemorySampler();
  cleanup.add('stop sampling memory', async () => rss.stop());
  rss.track(api);
  const workers: AppProcess[] = [
    startApp('worker A', 'worker', env, cleanup),
    startApp('worker B', 'worker', env, cleanup),
  ];
  for (const w of workers) rss.track(w);
  await waitFor('two workers on the campaigns queue', async () => (await workerCount()) >= 2, workers[0], 90_000);
  log(`workers ready (pids ${workers.map((w) => w.pid).join(', ')})`);

  // ── the campaign, paced ──
  const [template] = (
    await db.query<{ id: string }>(`SELECT id FROM message_templates WHERE occasion = 'custom' AND is_default`)
  ).rows;
  const D = options.seconds * 1000;
  const expectedPending = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers WHERE consent_greetings AND email IS NOT NULL`,
    )
  ).rows[0].n;
  const rate = Math.max(20, Math.round(expectedPending / ((0.75 * D) / 1000)));
  await sink.config({ ratePerSecond: rate });
  const reportFrom = shanghaiDay(new Date());
  const campaign = await setup(
    'POST',
    '/api/v1/greetings/campaigns',
    managerToken,
    {
      name: '中秋问候（混沌演练）',
      occasion: 'custom',
      templateId: template.id,
      sendAt: shanghaiIso(new Date()),
      // The run sends now, whatever the hour: at night (21:00–08:00 Shanghai) that needs confirming.
      confirmQuietHours: true,
      audience: { scope: 'team' },
    },
    201,
  );
  const campaignId = campaign.id as string;
  log(
    `campaign ${campaignId}: ${expectedPending.toLocaleString('en-US')} consenting clients with an email, the ` +
      `sink accepting ${rate} msg/s`,
  );

  // ── workload and faults ──
  const pendingGreetings = async (): Promise<number> =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status IN ('pending', 'sending')`,
        [campaignId],
      )
    ).rows[0].n;
  const workloadStart = Date.now();
  const stopAt = workloadStart + D;
  const faults: Faults = {
    workloadStart,
    workloadEnd: stopAt,
    kill: null,
    refusal: null,
    redis: null,
    postgres: null,
    outageCampaign: null,
    drainSeconds: 0,
    drained: false,
  };
  const acceptedSeries: { at: number; accepted: number }[] = [];
  const monitor = setInterval(() => {
    sink
      .stats()
      .then((s) => acceptedSeries.push({ at: Date.now(), accepted: s.accepted }))
      .catch(() => undefined);
  }, 1_000);
  cleanup.add('stop the monitor', async () => clearInterval(monitor));
  const progress = setInterval(() => {
    pendingGreetings()
      .then((pending) =>
        log(
          `t=${((Date.now() - workloadStart) / 1000).toFixed(0)} s: ${pending.toLocaleString('en-US')} greetings ` +
            `pending, ${http.calls.length.toLocaleString('en-US')} requests, sink accepted ` +
            `${acceptedSeries.at(-1)?.accepted ?? 0}`,
        ),
      )
      .catch(() => undefined);
  }, 15_000);
  cleanup.add('stop progress lines', async () => clearInterval(progress));

  // While Redis is down a manager schedules another greeting, to one butler's clients: the API
  // must answer at once (the campaign reconciler plans it once Redis is back), and every client of
  // it already has this campaign's greeting, so the contact cap skips them all.
  const duringOutage = async (): Promise<void> => {
    const t0 = Date.now();
    const res = await http.request('POST /greetings/campaigns (Redis down)', 'POST', '/api/v1/greetings/campaigns', {
      token: managerToken,
      json: {
        name: '追加问候（Redis 故障中）',
        occasion: 'custom',
        templateId: template.id,
        sendAt: shanghaiIso(new Date()),
        confirmQuietHours: true,
        audience: { scope: 'butler', butlerId: butlers[0].id },
      },
      expect: [201],
    });
    faults.outageCampaign = {
      id: res.status === 201 ? ((res.body as { id?: string }).id ?? null) : null,
      status: res.status,
      ms: Date.now() - t0,
      butlerId: butlers[0].id,
    };
  };
  const timeline = runTimeline({
    D,
    workloadStart,
    faults,
    workers,
    env,
    cleanup,
    rss,
    sink,
    redis,
    pg,
    workerCount,
    pendingGreetings,
    acceptedSeries,
    duringOutage,
    log,
  });
  const state = await runWorkload({
    http,
    runId,
    butlers,
    adminToken,
    managerToken,
    productIds,
    surveyTokens,
    campaignId,
    reportFrom,
    reportTo: () => shanghaiDay(new Date()),
    stopAt,
    purchaseAgeDays: PURCHASE_AGE_DAYS,
  });
  await timeline;
  faults.workloadEnd = Date.now();
  rss.sample();
  await rss.sampleHeap();
  log(`workload done: ${http.calls.length.toLocaleString('en-US')} requests`);

  // ── drain ──
  await sink.config({ ratePerSecond: 0, refuseShare: 0 });
  const drainStart = Date.now();
  const drainLimit = (options.short ? 150 : 240) * 1000;
  for (;;) {
    const [row] = (
      await db.query<{ pending: number; unfinished: number }>(
        `SELECT (SELECT count(*)::int FROM messages WHERE status IN ('pending', 'sending')) AS pending,
                (SELECT count(*)::int FROM greeting_campaigns WHERE status IN ('scheduled', 'sending')) AS unfinished`,
      )
    ).rows;
    if (row.pending === 0 && row.unfinished === 0) {
      faults.drained = true;
      break;
    }
    if (Date.now() - drainStart > drainLimit) {
      log(
        `not drained after ${drainLimit / 1000} s: ${row.pending} messages pending, ${row.unfinished} ` +
          'campaign(s) not completed',
      );
      break;
    }
    await sleep(1_000);
  }
  faults.drainSeconds = (Date.now() - drainStart) / 1000;
  log(`drain: ${faults.drainSeconds.toFixed(1)} s`);
  // Anything the sink is still finishing.
  await sleep(1_000);

  // ── checks ──
  const appErrors = new Map([api, ...workers].map((p) => [p.name, p.errors]));
  const { rows, requests } = await runChecks({
    db,
    http,
    adminToken,
    campaignId,
    runId,
    state,
    sinkStats: await sink.stats(),
    deliveries: await sink.deliveries(),
    faults,
    memory: rss.samples,
    heap: rss.heap,
    settings,
    reportFrom,
    reportTo: shanghaiDay(new Date()),
    appErrors,
  });
  const failed = rows.filter((r) => r.ok === false);
  const report = [
    `# Chaos run, ${new Date().toISOString()}`,
    '',
    `${options.short ? 'Short' : 'Full'} run: ${options.seconds} s of workload, ` +
      `${options.clients.toLocaleString('en-US')} clients (${options.butlers} butlers), ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s in all until the checks.`,
    'Faults: worker SIGKILL at 15% of the workload, 451 from 30% to 55%, Redis crash at 65%, PostgreSQL stopped ' +
      'at 85% and started again. A 503 counts as clear only with a body saying what is down, and only from the ' +
      `crash or stop until ${OUTAGE_GRACE_MS / 1000} s after the service is back; clients retry a 503'd write ` +
      'after its Retry-After.',
    `Memory rule: after the first ${MEMORY_RULE.warmupShare * 100}% of a process's samples (warm-up), the median ` +
      `of the last third may exceed the first third's by at most ${HEAP_RULE.growthShare * 100}% or ` +
      `${HEAP_RULE.growthMiB} MiB of live heap (measured after a full GC every ${HEAP_EVERY_MS / 1000} s), and, in ` +
      `runs of ${RSS_JUDGED_FROM_S} s or more, ${MEMORY_RULE.growthShare * 100}% or ${MEMORY_RULE.growthMiB} MiB ` +
      'of RSS, whichever is larger.',
    '',
    markdownTable(rows),
    '',
    requests,
    '',
    failed.length === 0
      ? 'All checks passed.'
      : `${failed.length} check(s) failed: ${failed.map((r) => r.check).join('; ')}`,
    '',
  ].join('\n');
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'chaos-latest.md'), report);
  // The raw figures behind the table, to look into a failed check.
  writeFileSync(
    join(ROOT, 'bench', 'results', 'chaos-latest.json'),
    JSON.stringify({
      options,
      faults,
      rssMiB: Object.fromEntries(rss.samples),
      liveHeapMiB: Object.fromEntries(rss.heap),
      unexpected: http.calls.filter((c) => !c.expected.includes(c.status) || c.wrong),
    }),
  );
  console.log(report);
  if (failed.length > 0) {
    for (const p of [api, ...workers])
      if (p.errors.length) log(`${p.name} errors:\n${p.errors.slice(0, 5).join('\n')}`);
  }
  return failed.length === 0 ? 0 : 1;
}

interface TimelineContext {
  D: number;
  workloadStart: number;
  faults: Faults;
  workers: AppProcess[];
  env: Record<string, string>;
  cleanup: Cleanup;
  rss: MemorySampler;
  pg: PrivatePostgres;
  sink: SinkHandle;
  redis: PrivateRedis;
  workerCount: () => Promise<number>;
  pendingGreetings: () => Promise<number>;
  acceptedSeries: { at: number; accepted: number }[];
  duringOutage: () => Promise<void>;
  log: (line: string) => void;
}

async function runTimeline(t: TimelineContext): Promise<void> {
  const until = async (share: number): Promise<void> => sleep(Math.max(0, t.workloadStart + share * t.D - Date.now()));
  const acceptedLastSecond = (): number => {
    const s = t.acceptedSeries;
    return s.length >= 2 ? s[s.length - 1].accepted - s[s.length - 2].accepted : 0;
  };

  // 1. SIGKILL a worker while it sends, start another.
  await until(0.15);
  const victim = t.workers[0];
  const pendingBefore = await t.pendingGreetings();
  const recent = acceptedLastSecond();
  victim.child.kill('SIGKILL');
  const killAt = Date.now();
  t.rss.untrack(victim.name);
  const replacement = startApp('worker C', 'worker', t.env, t.cleanup);
  t.workers.push(replacement);
  t.rss.track(replacement);
  t.log(
    `SIGKILL ${victim.name} (pid ${victim.pid}) with ${pendingBefore} greetings pending; started worker C (pid ` +
      `${replacement.pid})`,
  );
  t.faults.kill = { at: killAt, pid: victim.pid, pendingBefore, acceptedLastSecond: recent, replacementReadyS: null };
  const kill = t.faults.kill;
  // The killed worker's connections drop; the count is back to two once C listens.
  const replacementReady = waitFor(
    'worker C',
    async () => (await t.workerCount()) >= 2 && Date.now() - killAt > 500,
    replacement,
    60_000,
  )
    .then(() => {
      kill.replacementReadyS = (Date.now() - killAt) / 1000;
      t.log(`worker C consuming after ${kill.replacementReadyS.toFixed(1)} s`);
    })
    .catch((error: Error) => t.log(`worker C: ${error.message.split('\n')[0]}`));

  // 2. The sink refuses ~20% with 451 for a while.
  await until(0.3);
  await t.sink.config({ refuseShare: REFUSE_SHARE });
  const refuseFrom = Date.now();
  t.log(`sink refusing ${REFUSE_SHARE * 100}% with 451`);
  await until(0.55);
  await t.sink.config({ refuseShare: 0 });
  t.faults.refusal = { from: refuseFrom, to: Date.now() };
  t.log('sink accepting again');

  // 3. Redis crashes and comes back empty.
  await until(0.65);
  const pendingAtCrash = await t.pendingGreetings();
  await t.redis.kill();
  const downAt = Date.now();
  t.log(`Redis killed (${pendingAtCrash} greetings pending)`);
  const outageMs = Math.max(5_000, 0.03 * t.D);
  await sleep(1_000);
  await t.duringOutage();
  await sleep(Math.max(0, downAt + outageMs - Date.now()));
  await t.redis.start();
  const upAt = Date.now();
  const keysAfter = await t.redis.dbsize().catch(() => null);
  t.faults.redis = { downAt, upAt, keysAfter, pendingAtCrash };
  t.log(`Redis back after ${((upAt - downAt) / 1000).toFixed(1)} s (${keysAfter ?? '?'} keys)`);

  // 4. PostgreSQL stops (fast shutdown: every connection is cut, in-flight transactions roll
  // back) and starts again a few seconds later.
  await until(0.85);
  const pendingAtStop = await t.pendingGreetings();
  // Down from the moment the stop begins: a fast shutdown refuses new connections at once, and
  // pg_ctlcluster returns only once it is complete.
  const pgDownAt = Date.now();
  await t.pg.stop();
  t.log(`PostgreSQL stopped (${pendingAtStop} greetings pending)`);
  await sleep(Math.max(0, pgDownAt + Math.max(4_000, 0.02 * t.D) - Date.now()));
  await t.pg.start();
  t.faults.postgres = { downAt: pgDownAt, upAt: Date.now(), pendingAtStop };
  t.log(`PostgreSQL back after ${((Date.now() - pgDownAt) / 1000).toFixed(1)} s`);
  await replacementReady;
}
