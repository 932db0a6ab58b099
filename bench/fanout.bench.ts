import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Handlebars from 'handlebars';
import { Redis } from 'ioredis';
import nodemailer, { SendMailOptions } from 'nodemailer';
import { Client } from 'pg';

import { AROMA_NAMES, AromaType } from '@app/catalog';
import { DatabaseConfig, purposeKey } from '@app/config';
import { ensureDatabase, runMigrations } from '@app/database';

import { salutation } from '../libs/customers/src/salutation';
import { DEMO_CITIES, DEMO_GIVEN_NAMES, DEMO_SURNAMES, prng } from '../libs/demo/src';
import { BULK_STAFF, bulkUuid, copyRows } from '../libs/demo/src/seed-bulk';
import { renderGreeting, TemplateContext } from '../libs/greetings/src/template-rules';
import { festivalContext } from '../libs/greetings/src/templates.service';
import { unsubscribeToken } from '../libs/greetings/src/unsubscribe-token';
import { textToHtml } from '../libs/mail/src/templates';
import { JOBS, planCampaignJobId, QUEUES } from '../libs/queue/src/queue.constants';
import { redisOptionsFromUrl } from '../libs/queue/src/redis-options';
import {
  assertLoopback,
  BenchContext,
  BenchRow,
  Cleanup,
  dropDatabase,
  dropSecondaryIndexes,
  dropStaleScratchDatabases,
  LOOPBACK,
  positiveInt,
  ratio,
  ROOT,
  skippedRow,
  sleep,
  tsNodeArgs,
  withAdmin,
  withDatabase,
} from './kit';
import type { SinkReply, SinkRequest, SinkStats } from './smtp-sink-server';

// A greeting campaign to 1,000,000 clients (the issue's target), end to end on the real worker:
//
// 1. A scratch database (butler_bench_fanout_<pid>; the dev database is never touched), created
//    and migrated by prepareDatabase's two steps (ensureDatabase, runMigrations, with their log
//    on stderr: stdout is the harness's table), and N clients COPYed into it (90% consent, every one
//    with an email, a taste profile each, 10 butlers). N = BENCH_FANOUT_CLIENTS, `--clients=N`, or
//    1,000,000 (50,000 with BENCH_QUICK=1). BENCH_FANOUT_CPU_PROF=<dir> runs the worker under
//    `node --cpu-prof` (a .cpuprofile written there when it stops).
// 2. The real worker (`node dist/apps/worker/src/main.js`) as a child process with its own BullMQ
//    prefix on the machine's Redis and SMTP_URL pointing at bench/smtp-sink-server.ts (its own
//    process: accepts everything, counts, discards).
// 3. A scheduled campaign row (whole client base, the default mid-autumn template, sendAt = now)
//    and its planning job queued exactly as CampaignsService.schedulePlanning queues it. Timed
//    from that add to the planning job's completion, i.e. the INSERT … SELECT committed and every
//    batch job added. As soon as the planning job is active the queue is paused (the active job
//    carries on), so every batch job is still waiting in Redis when planning ends: the batch
//    count is checked against PostgreSQL and Redis memory is read with all of them present.
//    Targets: ≤ 60 s, Redis growth ≤ 200 MB.
// 4. Resumed: the worker delivers to the sink. Delivering 900,000 messages does not fit the
//    harness's 8 minutes, so throughput is measured over a fixed window (after a short warm-up)
//    and the worker is then stopped (SIGTERM: active batches finish). Its RSS is sampled from
//    /proc throughout (target ≤ 512 MiB), and what the sink got is checked against PostgreSQL.
//    Nothing delivered for 15 s while messages are pending ends the window as STALLED, with what
//    the worker's PostgreSQL connections are doing. CPU of the worker, its PostgreSQL backends
//    and the sink (from /proc) is reported for the window, to say where the time goes.
// 5. Ceiling: a bare nodemailer pool (the same SMTP URL with pool=true, so the same defaults as
//    the app: 5 connections, 100 messages each) sends as many of the same messages (same
//    recipients, subject, text, HTML, headers, rendered with a compiled-once template) to the
//    same sink, 20 in flight (the worker's 4 batches × 5). Target: app ≥ 90% of it. The worker's CPU
//    time per message (user + system from /proc over the window) is printed beside the ceiling's:
//    unlike throughput it holds when other work loads the machine.
//
// Everything is cleaned up, even on failure: the worker and the sink, the prefix's Redis keys
// and the scratch database (kept with `npm run bench -- fanout --keep` or BENCH_KEEP=1, then
// named butler_bench_fanout_keep).

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS =
  positiveInt(process.env.BENCH_FANOUT_CLIENTS) ??
  positiveInt(process.argv.find((a) => a.startsWith('--clients='))?.slice('--clients='.length)) ??
  (QUICK ? 50_000 : 1_000_000);
// A V8 CPU profile of the worker (node --cpu-prof), written to this folder when it stops.
const CPU_PROF_DIR = process.env.BENCH_FANOUT_CPU_PROF;
const KEEP = process.argv.includes('--keep') || process.env.BENCH_KEEP === '1';
// Delivery is measured over this window, after a warm-up (connections, JIT, first batches).
const WINDOW_S = positiveInt(process.env.BENCH_FANOUT_WINDOW_S) ?? (QUICK ? 20 : 60);
const WARMUP_S = 3;
// No message for this long while messages are pending: the worker is stuck, the window ends.
const STALL_MS = 15_000;
// The harness stops a benchmark after 8 minutes; this one plans its own time within that.
const BUDGET_MS = 7 * 60_000 + 15_000;
// Kept free at the end for stopping the worker, cleaning up and dropping the database.
const CLEANUP_RESERVE_MS = 45_000;
const PLAN_TARGET_S = 60;
const REDIS_TARGET_MB = 200;
const RSS_TARGET_MIB = 512;
// Issue 16 (outbox v2): delivery ≥ 90% of the bare pool (issue 10 asked for 70%).
const DELIVERY_TARGET = 0.9;
// The app's batch size (libs/greetings/src/campaign-runner.service.ts), to check the batch count.
const BATCH_SIZE = 500;
// Messages in flight for the bare pool: the worker runs 4 batch jobs × 5 lanes.
const CEILING_IN_FLIGHT = 20;
const CEILING_WARMUP = 200;
const POLL_MS = 200;
const CONSENT_SHARE = 0.9;
const OCCASION = 'mid_autumn';
const MOBILE_PREFIX = '1372'; // seed:bulk owns 1370xxxxxxx, the import benchmark 1371xxxxxxx
const KIND_FANOUT_CUSTOMER = 0xf01;

export interface Campaign {
  id: string;
  subject: string;
  body: string;
  sendAt: Date;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const log = (line: string): void => ctx.log(`fanout: ${line}`);
  const dbName = KEEP ? 'butler_bench_fanout_keep' : `butler_bench_fanout_${process.pid}`;
  const prefix = `bench-fanout-${process.pid}`;
  const dbUrl = withDatabase(ctx.config.database.DATABASE_URL, dbName);
  const redisUrl = ctx.config.redis.REDIS_URL;
  const cleanup = new Cleanup(log);
  const killOnExit = (): void => cleanup.killNow();
  process.once('exit', killOnExit);
  try {
    log(
      `${CLIENTS.toLocaleString('en-US')} clients${QUICK ? ' (BENCH_QUICK)' : ''}, scratch database ${dbName}, ` +
        `Redis prefix ${prefix}`,
    );
    assertLoopback(dbUrl, 'DATABASE_URL');
    assertLoopback(redisUrl, 'REDIS_URL');

    // ── scratch database and clients ──
    await withAdmin(ctx.config.database.DATABASE_URL, (admin) =>
      dropStaleScratchDatabases(admin, 'butler_bench_fanout_', log),
    );
    await dropDatabase(ctx.config.database.DATABASE_URL, dbName);
    if (!KEEP) cleanup.add('drop the scratch database', () => dropDatabase(ctx.config.database.DATABASE_URL, dbName));
    const dbConfig = Object.assign(new DatabaseConfig(), { DATABASE_URL: dbUrl, DATABASE_MIGRATE_ON_START: true });
    const stderrLogger = new StderrLogger(log);
    await ensureDatabase(dbConfig, stderrLogger);
    await runMigrations(dbConfig, stderrLogger);
    const db = new Client({ connectionString: dbUrl, application_name: 'bench-fanout' });
    await db.connect();
    cleanup.add('close the database client', () => db.end());
    const loadStarted = performance.now();
    await loadClients(db, CLIENTS, log);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    log(`clients loaded in ${loadSeconds.toFixed(1)} s`);

    // ── Redis, sink, worker ──
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
    const smtpUrl = `smtp://${LOOPBACK}:${sink.port}`;
    const worker = await startWorker(cleanup, queue, {
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      LOG_LEVEL: 'warn',
      // Neither reconciler may run during the measurement (they run once at boot, before it).
      OUTBOX_RECONCILE_MS: String(24 * 3_600_000),
    });
    const rss = new RssSampler(worker.pid);
    cleanup.add('stop sampling RSS', async () => rss.stop());
    // Let the boot-time reconcilers finish before anything is measured.
    await sleep(1_000);
    const idleRss = rss.sample();
    log(`worker ${worker.pid} ready, RSS ${idleRss?.toFixed(0) ?? '?'} MiB`);

    // ── planning + enqueueing ──
    const campaign = await createCampaign(db);
    const memoryBefore = await usedMemory(redis);
    let memoryPeak = memoryBefore;
    const jobId = planCampaignJobId(campaign.id);
    const t0 = performance.now();
    await queue.add(
      JOBS.planCampaign,
      { campaignId: campaign.id },
      {
        jobId,
        delay: Math.max(0, campaign.sendAt.getTime() - Date.now()),
        removeOnComplete: true,
        removeOnFail: 100,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5000 },
      },
    );
    let paused = false;
    let committedAt: number | null = null;
    let planned: { audience: number } | null = null;
    const planBound = Math.min(deadline - CLEANUP_RESERVE_MS - 60_000, Date.now() + 6 * 60_000);
    for (;;) {
      const state = await queue.getJobState(jobId);
      if (state === 'active' && !paused) {
        // Batch jobs added from now on wait in Redis until the queue is resumed.
        await queue.pause();
        paused = true;
      }
      if (state === 'unknown') break; // completed, and removed (removeOnComplete)
      if (state === 'failed' || (state === 'delayed' && paused)) {
        const job = await queue.getJob(jobId);
        throw new Error(`the planning job failed: ${job?.failedReason ?? state}`);
      }
      if (committedAt === null) {
        const { rows } = await db.query<{ audience_count: number | null }>(
          'SELECT audience_count FROM greeting_campaigns WHERE id = $1',
          [campaign.id],
        );
        if (rows[0]?.audience_count != null) {
          committedAt = performance.now();
          planned = { audience: rows[0].audience_count };
          log(
            `planning committed after ${((committedAt - t0) / 1000).toFixed(1)} s ` +
              `(${planned.audience.toLocaleString('en-US')} messages); queueing batches`,
          );
        }
      }
      memoryPeak = Math.max(memoryPeak, await usedMemory(redis));
      if (Date.now() > planBound)
        throw new Error(`planning did not finish within ${((Date.now() - started) / 1000).toFixed(0)} s of the run`);
      await sleep(POLL_MS);
    }
    const planSeconds = (performance.now() - t0) / 1000;
    const memoryAfter = await usedMemory(redis);
    memoryPeak = Math.max(memoryPeak, memoryAfter);
    const prefixMemory = await prefixUsage(redis, `${prefix}:*`);
    const counts = await queue.getJobCounts('waiting', 'paused', 'active', 'delayed', 'prioritized', 'failed');
    const queuedBatches = (counts.waiting ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0);
    const breakdown = await campaignBreakdown(db, campaign.id);
    const expectedBatches = breakdown.batches;
    const sqlSeconds = committedAt === null ? null : (committedAt - t0) / 1000;
    log(
      `planned in ${planSeconds.toFixed(1)} s: ${breakdown.pending.toLocaleString('en-US')} pending, ` +
        `${breakdown.skipped.toLocaleString('en-US')} skipped, ` +
        `${queuedBatches} batch jobs waiting in Redis (PostgreSQL: ${expectedBatches}); Redis ` +
        `${deltaMb(memoryAfter - memoryBefore)} MB, prefix keys ${mb(prefixMemory.bytes)} MB in ` +
        `${prefixMemory.keys} keys`,
    );
    if (!paused)
      log(
        'warning: the planning job ended before the queue could be paused; some batches may have been sent ' +
          'during planning',
      );

    // ── delivery by the app ──
    const remaining = deadline - Date.now() - CLEANUP_RESERVE_MS;
    // The window, then a ceiling run of at most the same length, must fit what is left.
    const windowS = Math.min(WINDOW_S, Math.floor((remaining / 1000 - WARMUP_S - 10) / 2.2));
    let delivery: Delivery | null = null;
    if (windowS >= 5) {
      await sink.reset();
      await queue.resume();
      delivery = await measureDelivery(db, sink, breakdown.pending, windowS, worker, log);
    } else {
      log(`no time left for delivery (${(remaining / 1000).toFixed(0)} s before the cleanup reserve)`);
    }
    await worker.stop();
    const rssPeak = rss.stop();
    const appSink = await sink.stats();
    const sent = await sentCounts(db, campaign.id);
    log(
      `worker stopped: sink ${appSink.messages} messages (${appSink.duplicates} duplicate ids), PostgreSQL sent ` +
        `${sent.sent}, failed ${sent.failed}, pending ${sent.pending}`,
    );

    // ── ceiling: a bare nodemailer pool, the same messages ──
    let ceiling: CeilingResult | null = null;
    if (delivery && delivery.messages > 0 && !delivery.stall) {
      await sink.reset();
      const timeLimit = Math.min(Math.max(windowS * 1.5, 20) * 1000, deadline - Date.now() - CLEANUP_RESERVE_MS);
      ceiling = await bareCeiling(ctx, db, campaign, smtpUrl, sink, delivery.messages, timeLimit, log);
    }

    // ── rows ──
    const n = CLIENTS.toLocaleString('en-US');
    const rows: BenchRow[] = [];
    // Batches are numbered over the whole audience (skipped rows too): at most ceil(total / 500).
    const batchesOk = queuedBatches === expectedBatches && expectedBatches <= Math.ceil(breakdown.total / BATCH_SIZE);
    rows.push({
      benchmark: `fanout: plan + enqueue a greeting campaign to ${n} clients (real worker; plan job added → completed)`,
      figure:
        `${planSeconds.toFixed(1)} s (INSERT … SELECT committed at ${sqlSeconds?.toFixed(1) ?? '?'} s); ` +
        `${breakdown.pending.toLocaleString('en-US')} pending, ` +
        `${breakdown.skipped.toLocaleString('en-US')} skipped; ${queuedBatches} batch jobs in ` +
        `Redis${batchesOk ? '' : ` — expected ${expectedBatches}!`}`,
      target: `≤ ${PLAN_TARGET_S} s`,
      ceiling: `— (clients COPYed in ${loadSeconds.toFixed(0)} s)`,
      ratio: '—',
      met: planSeconds <= PLAN_TARGET_S && batchesOk && breakdown.total === CLIENTS,
    });
    rows.push({
      benchmark: 'fanout: Redis memory growth, planning + enqueueing (INFO used_memory, all batch jobs waiting)',
      figure:
        `${deltaMb(memoryAfter - memoryBefore)} MB (peak ${deltaMb(memoryPeak - memoryBefore)} MB); the prefix's ` +
        `${prefixMemory.keys} keys: ${mb(prefixMemory.bytes)} MB (MEMORY USAGE)`,
      target: `≤ ${REDIS_TARGET_MB} MB`,
      ceiling: '—',
      ratio: '—',
      // used_memory is the whole server's (shared); the prefix's own keys must fit too.
      met: (memoryPeak - memoryBefore) / 1e6 <= REDIS_TARGET_MB && prefixMemory.bytes / 1e6 <= REDIS_TARGET_MB,
    });
    rows.push({
      benchmark:
        'fanout: worker RSS during planning and ' +
        `${delivery ? `${delivery.seconds.toFixed(0)} s of delivery` : 'no delivery'} (/proc VmHWM)`,
      figure:
        rssPeak.hwm === null
          ? 'n/a (no /proc)'
          : `${rssPeak.hwm.toFixed(0)} MiB peak (VmRSS sampled max ${rssPeak.maxRss?.toFixed(0) ?? '?'} MiB)`,
      target: `≤ ${RSS_TARGET_MIB} MiB`,
      ceiling: idleRss === null ? '—' : `${idleRss.toFixed(0)} MiB booted, idle`,
      ratio: rssPeak.hwm !== null && idleRss ? (rssPeak.hwm / idleRss).toFixed(2) : '—',
      met: rssPeak.hwm === null ? null : rssPeak.hwm <= RSS_TARGET_MIB,
    });
    if (delivery?.stall) {
      rows.push({
        benchmark: `fanout: delivery to a local SMTP sink (pooled, 5 connections; ${delivery.subset})`,
        figure: `STALLED: ${delivery.stall}`,
        target: `≥ ${DELIVERY_TARGET * 100}% of ceiling`,
        ceiling: '— (not measured: the app stalled)',
        ratio: '—',
        met: false,
      });
    } else if (delivery && ceiling) {
      const app = delivery.messages / delivery.seconds;
      const bare = ceiling.messages / ceiling.seconds;
      const appSize = appSink.messages > 0 ? appSink.bytes / appSink.messages : 0;
      rows.push({
        benchmark: `fanout: delivery to a local SMTP sink (pooled, 5 connections; ${delivery.subset})`,
        figure:
          `${Math.round(app).toLocaleString('en-US')} msg/s (${delivery.messages.toLocaleString('en-US')} in ` +
          `${delivery.seconds.toFixed(1)} s; ${Math.round(appSize)} B/msg; CPU: ${delivery.cpu})`,
        target: `≥ ${DELIVERY_TARGET * 100}% of ceiling`,
        ceiling:
          `${Math.round(bare).toLocaleString('en-US')} msg/s, bare nodemailer pool, the same ` +
          `${ceiling.messages.toLocaleString('en-US')} messages ` +
          `in ${ceiling.seconds.toFixed(1)} s (${Math.round(ceiling.bytesPerMessage)} B/msg; CPU: ` +
          `${ceiling.cpu}${ceiling.complete ? '' : '; stopped at its time limit'})`,
        ratio: ratio(app, bare),
        met: app / bare >= DELIVERY_TARGET,
      });
    } else {
      rows.push(
        skippedRow(
          'fanout: delivery to a local SMTP sink',
          delivery ? 'nothing was delivered in the window' : 'no time left in the 8-minute budget after planning',
        ),
      );
    }
    if (delivery) {
      const exact =
        appSink.messages === sent.sent && appSink.duplicates === 0 && appSink.withoutId === 0 && sent.failed === 0;
      rows.push({
        benchmark: 'fanout: delivery exactly once (sink vs PostgreSQL, after the worker stopped)',
        figure:
          `sink ${appSink.messages.toLocaleString('en-US')}, PostgreSQL sent ${sent.sent.toLocaleString('en-US')}, ` +
          `failed ${sent.failed}; ${appSink.duplicates} duplicate Message-IDs`,
        target: 'sink = sent, 0 duplicates',
        ceiling: '—',
        ratio: '—',
        met: exact,
      });
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return rows;
  } finally {
    await cleanup.run();
    process.removeListener('exit', killOnExit);
    if (KEEP) log(`kept the scratch database ${dbName} (${dbUrl})`);
  }
}

// ── data ─────────────────────────────────────────────────────────────────────

// Ten butlers under one manager, then `count` clients and their taste profiles by COPY, in one
// transaction, with the clients' secondary indexes dropped during the load and rebuilt after
// (exact definitions), then VACUUM ANALYZE as a live database would have.
export async function loadClients(db: Client, count: number, log: (line: string) => void): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query('SET LOCAL synchronous_commit = off');
    await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const staff = BULK_STAFF.filter((s) => s.role === 'butler').slice(0, 10);
    const manager = BULK_STAFF.find((s) => s.role === 'manager')!;
    // Nobody logs in: a hash that matches no password.
    const [{ id: managerId }] = (
      await db.query<{ id: string }>(
        `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'manager', '!') RETURNING id`,
        [manager.email, manager.name],
      )
    ).rows;
    const butlerIds: string[] = [];
    for (const butler of staff) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (email, name, role, manager_id, password_hash) 
         VALUES ($1, $2, 'butler', $3, '!') RETURNING id`,
        [butler.email, butler.name, managerId],
      );
      butlerIds.push(rows[0].id);
    }
    const indexes = await dropSecondaryIndexes(db, ['customers', 'taste_profiles']);
    const t0 = performance.now();
    const customers = await copyRows(
      db,
      `COPY customers (id, name, mobile, email, gender, city, tier, tags, butler_id, consent_greetings, consent_surveys,
         consent_updated_at, consent_source, created_at, updated_at) FROM STDIN`,
      customerChunks(count, butlerIds),
    );
    log(`  customers COPY ${customers} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = performance.now();
    const profiles = await copyRows(
      db,
      'COPY taste_profiles (customer_id, aromas, abv_min, abv_max, updated_at) FROM STDIN',
      tasteChunks(count),
    );
    log(`  taste_profiles COPY ${profiles} rows in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const t2 = performance.now();
    for (const index of indexes) await db.query(index.definition);
    log(`  ${indexes.length} indexes rebuilt in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const t3 = performance.now();
  await db.query('VACUUM (ANALYZE) users, customers, taste_profiles');
  log(`  vacuum analyze ${((performance.now() - t3) / 1000).toFixed(1)} s`);
}

const TIERS: [string, number][] = [
  ['regular', 45],
  ['silver', 30],
  ['gold', 18],
  ['black', 7],
];
const AROMAS = Object.keys(AROMA_NAMES) as AromaType[];

function* customerChunks(count: number, butlerIds: string[], rowsPerChunk = 5_000): Generator<string> {
  const rand = prng(20_261_001);
  const created = new Date(Date.now() - 400 * 86_400_000).toISOString();
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const surname = DEMO_SURNAMES[Math.floor(DEMO_SURNAMES.length * rand() ** 1.7)];
    const given = DEMO_GIVEN_NAMES[Math.floor(rand() * DEMO_GIVEN_NAMES.length)];
    let r = rand() * 100;
    let tier = TIERS[0][0];
    for (const [t, w] of TIERS) {
      if ((r -= w) <= 0) {
        tier = t;
        break;
      }
    }
    lines.push(
      [
        bulkUuid(KIND_FANOUT_CUSTOMER, i),
        `${surname}${given}`,
        `${MOBILE_PREFIX}${String(i + 1).padStart(7, '0')}`,
        `fanout${String(i + 1).padStart(7, '0')}@example.com`,
        rand() < 0.7 ? 'male' : 'female',
        DEMO_CITIES[Math.floor(rand() * DEMO_CITIES.length)],
        tier,
        '{}',
        butlerIds[i % butlerIds.length],
        rand() < CONSENT_SHARE ? 't' : 'f',
        rand() < 0.8 ? 't' : 'f',
        created,
        'store',
        created,
        created,
      ].join('\t'),
    );
    if (lines.length >= rowsPerChunk) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

function* tasteChunks(count: number, rowsPerChunk = 5_000): Generator<string> {
  const rand = prng(20_261_002);
  const updated = new Date(Date.now() - 300 * 86_400_000).toISOString();
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const primary = AROMAS[Math.floor(rand() * 3)]; // jiang, nong, qing mostly, as in the trade
    const secondary = AROMAS[3 + Math.floor(rand() * (AROMAS.length - 3))];
    const aromas =
      `[{"type": "${primary}", "weight": ${(0.7 + Math.floor(rand() * 30) / 100).toFixed(2)}}, {"type": ` +
      `"${secondary}", "weight": ${(0.2 + Math.floor(rand() * 40) / 100).toFixed(2)}}]`;
    lines.push(`${bulkUuid(KIND_FANOUT_CUSTOMER, i)}\t${aromas}\t38\t53\t${updated}`);
    if (lines.length >= rowsPerChunk) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

// Indexes of these tables that no constraint owns: dropped, their exact definitions returned.
export async function createCampaign(db: Client): Promise<Campaign> {
  const { rows: templates } = await db.query<{ id: string; subject: string; body: string }>(
    'SELECT id, subject, body FROM message_templates WHERE occasion = $1 AND is_default',
    [OCCASION],
  );
  if (templates.length === 0) throw new Error(`no default ${OCCASION} template in the migrated database`);
  const t = templates[0];
  const { rows } = await db.query<{ id: string; send_at: Date }>(
    `INSERT INTO greeting_campaigns (name, occasion, template_id, subject, body, send_at, audience, status)
     VALUES ('fan-out benchmark', $1, $2, $3, $4, now(), '{"scope":"all"}', 'scheduled') RETURNING id, send_at`,
    [OCCASION, t.id, t.subject, t.body],
  );
  return { id: rows[0].id, subject: t.subject, body: t.body, sendAt: rows[0].send_at };
}

// Right after planning (the queue paused, nothing sent yet): what the INSERT … SELECT wrote, and
// how many batches hold pending messages (the batch jobs planning must have queued).
async function campaignBreakdown(
  db: Client,
  campaignId: string,
): Promise<{ total: number; pending: number; skipped: number; batches: number }> {
  const { rows } = await db.query<{ total: string; pending: string; skipped: string; batches: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE status <> 'skipped') AS pending,
      count(*) FILTER (WHERE status = 'skipped') AS skipped,
            count(DISTINCT batch_no) FILTER (WHERE status <> 'skipped') AS batches
     FROM messages WHERE campaign_id = $1`,
    [campaignId],
  );
  const r = rows[0];
  return { total: Number(r.total), pending: Number(r.pending), skipped: Number(r.skipped), batches: Number(r.batches) };
}

export async function sentCounts(
  db: Client,
  campaignId: string,
): Promise<{ sent: number; failed: number; pending: number }> {
  const { rows } = await db.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM messages WHERE campaign_id = $1 GROUP BY status`,
    [campaignId],
  );
  const get = (status: string): number => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { sent: get('sent'), failed: get('failed'), pending: get('pending') };
}

// ── delivery ────────────────────────────────────────────────────────────────

interface Delivery {
  messages: number;
  seconds: number;
  cpu: string;
  // Why delivery stopped before the window ended, when it stalled.
  stall: string | null;
  subset: string;
}

// Counts what the sink receives from the app over `windowS` seconds after a warm-up, or until
// every pending message has arrived, whichever comes first.
async function measureDelivery(
  db: Client,
  sink: Sink,
  pending: number,
  windowS: number,
  worker: WorkerProcess,
  log: (line: string) => void,
): Promise<Delivery> {
  const resumed = performance.now();
  let progress = { messages: 0, at: resumed };
  // Samples the sink; says whether delivery has stalled (nothing new for STALL_MS).
  const poll = async (): Promise<{ stats: SinkStats; at: number; stalled: boolean }> => {
    worker.assertAlive();
    await sleep(POLL_MS);
    const stats = await sink.stats();
    const at = performance.now();
    if (stats.messages > progress.messages) progress = { messages: stats.messages, at };
    return { stats, at, stalled: stats.messages < pending && at - progress.at > STALL_MS };
  };
  let stalled = false;
  while (performance.now() < resumed + WARMUP_S * 1000 && !stalled) stalled = (await poll()).stalled;
  // Where the CPU goes during the window: the worker, its PostgreSQL backends, the sink.
  const backends = (
    await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'butler-crm%'`,
    )
  ).rows.map((r) => r.pid);
  const cpu = { worker: new CpuMeter([worker.pid]), postgres: new CpuMeter(backends), sink: new CpuMeter([sink.pid]) };
  const start = await sink.stats();
  const t1 = performance.now();
  const end = t1 + windowS * 1000;
  let last = start;
  let lastAt = t1;
  let nextLog = t1 + 10_000;
  while (performance.now() < end && !stalled && last.messages < pending) {
    const sample = await poll();
    last = sample.stats;
    lastAt = sample.at;
    stalled = sample.stalled;
    if (lastAt >= nextLog) {
      log(
        `  ${last.messages.toLocaleString('en-US')} delivered, ` +
          `${Math.round(((last.messages - start.messages) / (lastAt - t1)) * 1000)} msg/s`,
      );
      nextLog += 10_000;
    }
  }
  const messages = last.messages - start.messages;
  const seconds = (lastAt - t1) / 1000;
  const all = last.messages >= pending;
  const workerCpu = cpu.worker.percent();
  // CPU time per message holds under load (the machine is shared); throughput does not.
  const perMessage = workerCpu !== null && messages > 0 ? ((workerCpu / 100) * seconds * 1000) / messages : null;
  const cpuText =
    `worker ${pct(workerCpu)} = ${perMessage?.toFixed(3) ?? '?'} ms per message, ` +
    `its ${backends.length} PostgreSQL backends ${pct(cpu.postgres.percent())}, ` +
    `sink ${pct(cpu.sink.percent())} of a core`;
  log(
    `app delivered ${messages.toLocaleString('en-US')} messages in ${seconds.toFixed(1)} s ` +
      `(${Math.round(messages / seconds)} msg/s); CPU: ${cpuText}`,
  );
  let stall: string | null = null;
  if (stalled) {
    stall =
      `${last.messages.toLocaleString('en-US')} of ${pending.toLocaleString('en-US')} delivered, then none for ` +
      `${STALL_MS / 1000} s; the worker's connections: ${await connectionStates(db)}`;
    log(`STALLED: ${stall}`);
  }
  return {
    messages,
    seconds,
    cpu: cpuText,
    stall,
    subset: all
      ? `all ${pending.toLocaleString('en-US')} messages, after a ${WARMUP_S} s warm-up`
      : `a ${windowS} s window after a ${WARMUP_S} s warm-up, of ${pending.toLocaleString('en-US')} pending`,
  };
}

// What the worker's PostgreSQL connections are doing, e.g. "10× idle in transaction (Client:ClientRead),
// last query SELECT … messages … FOR UPDATE SKIP LOCKED".
async function connectionStates(db: Client): Promise<string> {
  const { rows } = await db.query<{ state: string | null; wait: string | null; query: string; n: string }>(
    `SELECT state, wait_event_type || ':' || wait_event AS wait,
            regexp_replace(query, '[[:space:]]+', ' ', 'g') AS query, count(*) AS n
     FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'butler-crm'
     GROUP BY 1, 2, 3 ORDER BY count(*) DESC`,
  );
  if (rows.length === 0) return 'none open';
  return rows
    .map((r) => `${r.n}× ${r.state ?? '?'}${r.wait ? ` (${r.wait})` : ''}, last query ${shortSql(r.query)}`)
    .join('; ');
}

// "SELECT … messages … FOR UPDATE SKIP LOCKED" rather than TypeORM's column list.
function shortSql(query: string): string {
  const verb = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?/i.exec(query)?.[1];
  const lock = /FOR UPDATE(?: SKIP LOCKED)?/i.exec(query)?.[0];
  return `${verb}${table ? ` … ${table}` : ''}${lock ? ` … ${lock}` : ''}`;
}

interface CeilingResult {
  messages: number;
  seconds: number;
  cpu: string;
  bytesPerMessage: number;
  complete: boolean;
}

interface MessageRow {
  id: string;
  customer_id: string;
  to_address: string;
  context: { name: string; gender: string | null; butlerName: string; favoriteAroma: string | null };
}

// The same messages the app sent first, rebuilt as CampaignRunner.render and
// MailTransportService.send build them, through a bare pooled transport to the same sink.
async function bareCeiling(
  ctx: BenchContext,
  db: Client,
  campaign: Campaign,
  smtpUrl: string,
  sink: Sink,
  count: number,
  timeLimitMs: number,
  log: (line: string) => void,
): Promise<CeilingResult> {
  const { rows } = await db.query<MessageRow>(
    `SELECT id, customer_id, to_address, context
       FROM messages WHERE campaign_id = $1 AND status = 'sent' ORDER BY sent_at, id LIMIT $2`,
    [campaign.id, count + CEILING_WARMUP],
  );
  const { MAIL_FROM } = ctx.config.mail;
  const domain = /@([^>\s]+)/.exec(MAIL_FROM)?.[1] ?? 'butler-crm.local';
  const base = ctx.config.http.PUBLIC_BASE_URL.replace(/\/$/, '');
  const secret = purposeKey(ctx.config.auth.JWT_SECRET, 'unsubscribe');
  const hb = Handlebars.create();
  const options = { noEscape: true, strict: false, knownHelpersOnly: true };
  const subject = hb.compile(campaign.subject, options);
  const body = hb.compile(campaign.body, options);
  const festival = festivalContext(OCCASION, campaign.sendAt);
  const year = Number(new Date(campaign.sendAt.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const build = (
    m: MessageRow,
    rendered: (c: TemplateContext) => { subject: string; body: string },
  ): SendMailOptions => {
    const c = m.context;
    const context: TemplateContext = {
      customer: { name: c.name, salutation: salutation(c.name, c.gender) },
      butler: { name: c.butlerName },
      festival,
      favoriteAroma: c.favoriteAroma ? (AROMA_NAMES[c.favoriteAroma as AromaType] ?? '') : '',
      year,
    };
    const url = `${base}/u/${unsubscribeToken(secret, m.customer_id)}`;
    const r = rendered(context);
    const text = `${r.body}\n\n——\n如不希望再收到节日与生日问候，可在此退订：${url}`;
    return {
      from: MAIL_FROM,
      to: m.to_address,
      subject: r.subject,
      text,
      html: textToHtml(text),
      messageId: `<${m.id}@${domain}>`,
      list: { unsubscribe: { url, comment: '退订' } },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  };
  const compiled = (c: TemplateContext): { subject: string; body: string } => ({ subject: subject(c), body: body(c) });
  // The compiled-once template must say exactly what the app's renderGreeting says.
  const probe = build(rows[0], (c) => compiled(c));
  const reference = build(rows[0], (c) => ({
    subject: renderGreeting(campaign.subject, c),
    body: renderGreeting(campaign.body, c),
  }));
  if (probe.text !== reference.text || probe.subject !== reference.subject)
    throw new Error('the ceiling renders greetings differently from the app');

  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  try {
    const send = async (list: MessageRow[], limitAt: number): Promise<number> => {
      let next = 0;
      let done = 0;
      const lane = async (): Promise<void> => {
        while (next < list.length && performance.now() < limitAt) {
          const info = (await transport.sendMail(build(list[next++], compiled))) as { accepted?: unknown[] };
          if ((info.accepted ?? []).length !== 1) throw new Error('the sink did not accept a ceiling message');
          done++;
        }
      };
      await Promise.all(Array.from({ length: CEILING_IN_FLIGHT }, lane));
      return done;
    };
    // Connections and JIT first, as the app's window had its warm-up.
    const warm = rows.slice(0, Math.min(CEILING_WARMUP, Math.max(0, rows.length - count)));
    await send(warm, performance.now() + 30_000);
    await sink.reset();
    const measured = rows.slice(warm.length, warm.length + count);
    const sinkCpu = new CpuMeter([sink.pid]);
    const ownCpu = process.cpuUsage();
    const t0 = performance.now();
    const sent = await send(measured, t0 + timeLimitMs);
    const seconds = (performance.now() - t0) / 1000;
    const own = process.cpuUsage(ownCpu);
    const senderPercent = ((own.user + own.system) / 1e6 / seconds) * 100;
    const senderMs = sent > 0 ? (own.user + own.system) / 1000 / sent : null;
    const cpu =
      `sender ${pct(senderPercent)} = ${senderMs?.toFixed(3) ?? '?'} ms per message, ` +
      `sink ${pct(sinkCpu.percent())} of a core`;
    const received = await sink.stats();
    log(
      `bare pool sent ${sent.toLocaleString('en-US')} messages in ${seconds.toFixed(1)} s ` +
        `(${Math.round(sent / seconds)} msg/s); sink got ${received.messages}; CPU: ${cpu}`,
    );
    return {
      messages: sent,
      seconds,
      cpu,
      bytesPerMessage: received.messages > 0 ? received.bytes / received.messages : 0,
      complete: sent === measured.length,
    };
  } finally {
    transport.close();
  }
}

// ── child processes ─────────────────────────────────────────────────────────

export interface Sink {
  port: number;
  pid: number;
  stats: () => Promise<SinkStats>;
  reset: () => Promise<void>;
}

export async function startSink(cleanup: Cleanup): Promise<Sink> {
  const child = spawn(process.execPath, tsNodeArgs('smtp-sink-server.ts'), {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  cleanup.child('stop the SMTP sink', child, 2_000);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  });
  const waiters: ((reply: SinkReply) => void)[] = [];
  child.on('message', (reply: SinkReply) => waiters.shift()?.(reply));
  const next = (timeoutMs: number, what: string): Promise<SinkReply> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the SMTP sink did not answer ${what} within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      waiters.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      if (child.exitCode !== null) reject(new Error(`the SMTP sink exited with ${child.exitCode}:\n${output}`));
    });
  const ready = await next(30_000, 'ready');
  if (ready.type !== 'ready') throw new Error(`the SMTP sink said ${ready.type} first`);
  const ask = async (request: SinkRequest): Promise<SinkReply> => {
    const reply = next(5_000, request.cmd);
    child.send(request);
    return reply;
  };
  return {
    port: ready.port,
    pid: child.pid ?? 0,
    stats: async () => {
      const reply = await ask({ cmd: 'stats' });
      if (reply.type !== 'stats') throw new Error(`the SMTP sink answered ${reply.type} to stats`);
      return reply.stats;
    },
    reset: async () => {
      await ask({ cmd: 'reset' });
    },
  };
}

interface WorkerProcess {
  pid: number;
  assertAlive: () => void;
  stop: () => Promise<void>;
}

// `node dist/apps/worker/src/main.js`, as `npm run start:worker` runs it; ready once it listens
// on the campaigns queue (its BullMQ connection is visible in CLIENT LIST).
async function startWorker(cleanup: Cleanup, queue: Queue, env: Record<string, string>): Promise<WorkerProcess> {
  const profile = CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [];
  const child = spawn(process.execPath, [...profile, `${ROOT}/dist/apps/worker/src/main.js`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Active batches finish on SIGTERM (SHUTDOWN_TIMEOUT_MS bounds it at 20 s).
  const stop = cleanup.child('stop the worker', child, 30_000);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 60_000;
  while ((await queue.getWorkersCount()) === 0) {
    if (child.exitCode !== null)
      throw new Error(`the worker exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the worker was not ready after 60 s:\n${output}`);
    await sleep(POLL_MS);
  }
  return {
    pid: child.pid ?? 0,
    assertAlive: () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the worker exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    },
    stop: async () => {
      await stop();
      if (output.trim())
        console.error(`fanout: worker output (last lines):\n${output.split('\n').slice(-10).join('\n')}`);
    },
  };
}

// Resident set of a process, sampled every 200 ms; VmHWM (the kernel's own peak) at the end.
class RssSampler {
  private maxRss: number | null = null;
  private hwm: number | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), POLL_MS);
    this.timer.unref();
  }

  sample(): number | null {
    const status = readStatus(this.pid);
    if (status.rss !== null) this.maxRss = Math.max(this.maxRss ?? 0, status.rss);
    if (status.hwm !== null) this.hwm = Math.max(this.hwm ?? 0, status.hwm);
    return status.rss;
  }

  stop(): { maxRss: number | null; hwm: number | null } {
    clearInterval(this.timer);
    return { maxRss: this.maxRss, hwm: this.hwm };
  }
}

// CPU time (user + system) of processes from /proc/<pid>/stat, as a share of one core since the
// meter started; processes gone meanwhile are left out. null without /proc.
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly startedAt = performance.now();

  constructor(pids: number[]) {
    for (const pid of pids) {
      const seconds = cpuSeconds(pid);
      if (seconds !== null) this.start.set(pid, seconds);
    }
  }

  percent(): number | null {
    if (this.start.size === 0) return null;
    let used = 0;
    for (const [pid, before] of this.start) {
      const now = cpuSeconds(pid);
      if (now !== null) used += now - before;
    }
    return (used / ((performance.now() - this.startedAt) / 1000)) * 100;
  }
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on Linux (getconf CLK_TCK)

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function readStatus(pid: number): { rss: number | null; hwm: number | null } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number | null => {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
      return match ? Number(match[1]) / 1024 : null;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: null, hwm: null };
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────

export class StderrLogger extends Logger {
  constructor(private readonly write: (line: string) => void) {
    super('Database');
  }

  override log(message: unknown): void {
    this.write(String(message));
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

// SCAN is bounded: at most 100,000 rounds of 1,000 keys.
async function* scanKeys(redis: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  for (let round = 0; round < 100_000; round++) {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) yield keys;
    cursor = nextCursor;
    if (cursor === '0') return;
  }
}

async function prefixUsage(redis: Redis, pattern: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  for await (const batch of scanKeys(redis, pattern)) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.memory('USAGE', key);
    for (const [error, size] of (await pipeline.exec()) ?? []) {
      if (!error) bytes += Number(size ?? 0);
    }
    keys += batch.length;
  }
  return { keys, bytes };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  for await (const batch of scanKeys(redis, pattern)) deleted += await redis.unlink(...batch);
  return deleted;
}

const pct = (value: number | null): string => (value === null ? '?' : `${Math.round(value)}%`);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
// A change in MB with its sign: +1.5, −0.2.
const deltaMb = (bytes: number): string => `${bytes < 0 ? '−' : '+'}${mb(Math.abs(bytes))}`;
