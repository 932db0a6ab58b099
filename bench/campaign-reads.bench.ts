import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';

import { DatabaseConfig } from '@app/config';
import { ensureDatabase, runMigrations } from '@app/database';
import { hashPassword } from '@app/users';

import { BULK_BUTLER_EMAILS, BULK_PASSWORD } from '../libs/demo/src/seed-bulk';
import { JOBS, planCampaignJobId, QUEUES } from '../libs/queue/src/queue.constants';
import { redisOptionsFromUrl } from '../libs/queue/src/redis-options';
import { CpuMeter, createCampaign, deleteKeys, loadClients, sentCounts, startSink, StderrLogger } from './fanout.bench';
import {
  assertLoopback,
  BenchContext,
  BenchRow,
  Cleanup,
  dropDatabase,
  dropStaleScratchDatabases,
  fmtRps,
  freePort,
  load,
  LoadResult,
  login,
  LOOPBACK,
  positiveInt,
  ratio,
  ROOT,
  sleep,
  startServer,
  withAdmin,
  withDatabase,
} from './kit';

// API reads while a campaign sends, in ONE process (API and workers together, as `npm start` runs
// them): issue 16's target, reads during a 1M campaign ≥ 70% of their idle throughput.
//
// 1. A scratch database (butler_bench_campaign_reads_<pid>) with N clients COPYed in by the fan-out
//    benchmark's loader (10 butlers; the first can log in with the bulk password). N =
//    `--clients=N`, BENCH_CAMPAIGN_READS_CLIENTS, or 1,000,000 (50,000 with BENCH_QUICK=1).
// 2. `node dist/apps/api/src/main.js --with-workers` with SMTP_URL pointing at the fan-out's SMTP
//    sink, its own Redis prefix, LOG_LEVEL=warn.
// 3. Idle: GET /customers?tier=gold&limit=50 and GET /customers/:id as the butler, 50 connections
//    × WINDOW_S each after a warm-up (autocannon, from this process).
// 4. A greeting campaign to the whole client base, planned by the same process; once it delivers,
//    the same two loads again, the sink counting what it receives meanwhile. Ratio = busy / idle.
//
// Cleanup (the server, the sink, the Redis keys, the scratch database) runs even on failure.

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS =
  positiveInt(process.argv.find((a) => a.startsWith('--clients='))?.slice('--clients='.length)) ??
  positiveInt(process.env.BENCH_CAMPAIGN_READS_CLIENTS) ??
  (QUICK ? 50_000 : 1_000_000);
const WINDOW_S = positiveInt(process.env.BENCH_CAMPAIGN_READS_WINDOW_S) ?? 10;
const WARMUP_S = 3;
const CONNECTIONS = 50;
const TARGET = 0.7;
// Planning a million clients took 32 s on a quiet machine; bounded well beyond that.
const PLAN_TIMEOUT_MS = 4 * 60_000;

// Seeding a million clients and planning their campaign take minutes of their own.
export const timeoutMs = 12 * 60_000;

interface Reads {
  list: LoadResult;
  single: LoadResult;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const started = Date.now();
  const log = (line: string): void => ctx.log(`campaign-reads: ${line}`);
  const dbName = `butler_bench_campaign_reads_${process.pid}`;
  const prefix = `bench-campaign-reads-${process.pid}`;
  const dbUrl = withDatabase(ctx.config.database.DATABASE_URL, dbName);
  const redisUrl = ctx.config.redis.REDIS_URL;
  const cleanup = new Cleanup(log);
  const killOnExit = (): void => cleanup.killNow();
  process.once('exit', killOnExit);
  try {
    log(`${CLIENTS.toLocaleString('en-US')} clients, scratch database ${dbName}, Redis prefix ${prefix}`);
    assertLoopback(dbUrl, 'DATABASE_URL');
    assertLoopback(redisUrl, 'REDIS_URL');

    // ── scratch database, clients, a butler who can log in ──
    await withAdmin(ctx.config.database.DATABASE_URL, (admin) =>
      dropStaleScratchDatabases(admin, 'butler_bench_campaign_reads_', log),
    );
    await dropDatabase(ctx.config.database.DATABASE_URL, dbName);
    cleanup.add('drop the scratch database', () => dropDatabase(ctx.config.database.DATABASE_URL, dbName));
    const dbConfig = Object.assign(new DatabaseConfig(), { DATABASE_URL: dbUrl, DATABASE_MIGRATE_ON_START: true });
    const stderrLogger = new StderrLogger(log);
    await ensureDatabase(dbConfig, stderrLogger);
    await runMigrations(dbConfig, stderrLogger);
    const db = new Client({ connectionString: dbUrl, application_name: 'bench-campaign-reads' });
    await db.connect();
    cleanup.add('close the database client', () => db.end());
    const t0 = performance.now();
    await loadClients(db, CLIENTS, log);
    log(`clients loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const butlerEmail = BULK_BUTLER_EMAILS[0];
    const { rows: butlers } = await db.query<{ id: string }>(
      'UPDATE users SET password_hash = $2 WHERE email = $1 RETURNING id',
      [butlerEmail, await hashPassword(BULK_PASSWORD)],
    );
    const { rows: clients } = await db.query<{ id: string }>(
      `SELECT id FROM customers WHERE butler_id = $1 AND tier = 'gold' ORDER BY mobile LIMIT 1`,
      [butlers[0].id],
    );

    // ── Redis, sink, API with workers ──
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    await redis.connect();
    cleanup.add('close the Redis client', async () => {
      await redis.quit();
    });
    cleanup.add(`delete the Redis keys ${prefix}:*`, async () =>
      log(`deleted ${await deleteKeys(redis, `${prefix}:*`)} Redis keys`),
    );
    const queue = new Queue(QUEUES.campaigns, { connection: redisOptionsFromUrl(redisUrl), prefix });
    cleanup.add('close the queue', () => queue.close());
    const sink = await startSink(cleanup);
    const port = await freePort();
    const server = await startServer(
      'API + workers',
      [`${ROOT}/dist/apps/api/src/main.js`, '--with-workers'],
      {
        PORT: String(port),
        HOST: LOOPBACK,
        LOG_LEVEL: 'warn',
        DATABASE_URL: dbUrl,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        SMTP_URL: `smtp://${LOOPBACK}:${sink.port}`,
        DEMO_DATA: 'false',
        OUTBOX_RECONCILE_MS: String(24 * 3_600_000),
      },
      port,
      '/health',
      120_000,
    );
    cleanup.child('stop the API + workers', server.process, 30_000);
    const token = await login(server.url, butlerEmail, BULK_PASSWORD);
    const headers = { authorization: `Bearer ${token}` };
    const urls = {
      list: `${server.url}/api/v1/customers?tier=gold&limit=50`,
      single: `${server.url}/api/v1/customers/${clients[0].id}`,
    };
    for (const url of Object.values(urls)) {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }

    // ── idle ──
    const reads = async (label: string): Promise<Reads> => {
      const list = await measure(urls.list, headers);
      const single = await measure(urls.single, headers);
      log(`${label}: list ${fmtRps(list)}, single ${fmtRps(single)}`);
      return { list, single };
    };
    const idle = await reads('idle');

    // ── the campaign, planned and sent by the same process ──
    const campaign = await createCampaign(db);
    const jobId = planCampaignJobId(campaign.id);
    const planAdded = performance.now();
    await queue.add(
      JOBS.planCampaign,
      { campaignId: campaign.id },
      { jobId, removeOnComplete: true, removeOnFail: 100, attempts: 5, backoff: { type: 'exponential', delay: 5000 } },
    );
    await sink.reset();
    const planDeadline = Date.now() + PLAN_TIMEOUT_MS;
    for (;;) {
      const state = await queue.getJobState(jobId);
      if (state === 'failed') throw new Error(`the planning job failed: ${(await queue.getJob(jobId))?.failedReason}`);
      if (state === 'unknown' && (await sink.stats()).messages > 0) break;
      if (Date.now() > planDeadline)
        throw new Error(`the campaign did not start sending in ${PLAN_TIMEOUT_MS / 1000} s`);
      await sleep(500);
    }
    const planSeconds = (performance.now() - planAdded) / 1000;
    const pending = (await sentCounts(db, campaign.id)).pending;
    log(`campaign planned and sending after ${planSeconds.toFixed(1)} s; ${pending.toLocaleString('en-US')} pending`);
    // Its lanes up to speed first.
    await sleep(WARMUP_S * 1000);

    const before = await sink.stats();
    const cpu = new CpuMeter([server.pid]);
    const busyStarted = performance.now();
    const busy = await reads('during the campaign');
    const busySeconds = (performance.now() - busyStarted) / 1000;
    const after = await sink.stats();
    const serverCpu = cpu.percent();
    const left = await sentCounts(db, campaign.id);
    const delivered = after.messages - before.messages;
    const sending =
      `${Math.round(delivered / busySeconds).toLocaleString('en-US')} msg/s delivered meanwhile ` +
      `(${delivered.toLocaleString('en-US')} in ${busySeconds.toFixed(0)} s; ${left.pending.toLocaleString('en-US')} ` +
      `still pending after; process CPU ${serverCpu === null ? '?' : Math.round(serverCpu)}% of a core)`;
    log(sending);
    if (left.pending === 0) log('warning: the campaign finished before the measurement did');

    const n = CLIENTS.toLocaleString('en-US');
    const row = (what: string, key: keyof Reads): BenchRow => ({
      benchmark:
        `campaign-reads: ${what} as a butler, API + workers in one process, during a campaign to ${n} clients ` +
        `(${CONNECTIONS} conns, ${WINDOW_S} s)`,
      figure: `${fmtRps(busy[key])}; ${sending}`,
      target: `≥ ${TARGET * 100}% of idle`,
      ceiling: `${fmtRps(idle[key])}, the same process idle`,
      ratio: ratio(busy[key].rps, idle[key].rps),
      met: busy[key].rps / idle[key].rps >= TARGET && busy[key].failures === 0 && left.pending > 0,
    });
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return [row('GET /customers?tier=gold&limit=50', 'list'), row('GET /customers/:id', 'single')];
  } finally {
    await cleanup.run();
    process.removeListener('exit', killOnExit);
  }
}

// A warm-up, then the measured window.
async function measure(url: string, headers: Record<string, string>): Promise<LoadResult> {
  await load({ url, headers, connections: CONNECTIONS, seconds: WARMUP_S });
  return load({ url, headers, connections: CONNECTIONS, seconds: WINDOW_S });
}
