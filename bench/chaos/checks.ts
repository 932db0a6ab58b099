import { createHash } from 'node:crypto';

import type { Pool } from 'pg';

import type { RssSample } from './services';
import type { Delivery, SinkStats } from './smtp-sink';
import { surveyAnswered, type Call, type Http, type PurchaseRecord, type WorkloadState } from './workload';

// What the chaos run verifies at the end, from PostgreSQL, the SMTP sink's record and the answers
// the workload got. Each check is one row: check | figure | expected | ok.

export interface Row {
  check: string;
  figure: string;
  expected: string;
  // null: informational (the fault was applied as planned, a time, …).
  ok: boolean | null;
}

export interface Faults {
  workloadStart: number;
  workloadEnd: number;
  kill: {
    at: number;
    pid: number;
    pendingBefore: number;
    acceptedLastSecond: number;
    replacementReadyS: number | null;
  } | null;
  refusal: { from: number; to: number } | null;
  redis: { downAt: number; upAt: number; keysAfter: number | null; pendingAtCrash: number } | null;
  postgres: { downAt: number; upAt: number; pendingAtStop: number } | null;
  // The campaign a manager scheduled while Redis was down.
  outageCampaign: { id: string | null; status: number; ms: number; butlerId: string } | null;
  drainSeconds: number;
  drained: boolean;
}

export interface CheckInput {
  db: Pool;
  http: Http;
  adminToken: string;
  campaignId: string;
  runId: string;
  state: WorkloadState;
  sinkStats: SinkStats;
  deliveries: Delivery[];
  faults: Faults;
  memory: Map<string, RssSample[]>;
  heap: Map<string, RssSample[]>;
  settings: { cadence: { days: number }[]; dueHour: number; skipOverdueAfterDays: number };
  reportFrom: string;
  reportTo: string;
  appErrors: Map<string, string[]>;
}

// A 503 is forgiven only while Redis is down and for this long after it is back (the clients'
// reconnect back-off).
export const OUTAGE_GRACE_MS = 5_000;
// A Message-ID accepted twice is forgiven only when its first acceptance was this close before a
// worker's SIGKILL (accepted by the SMTP server, then the worker died before its commit).
export const KILL_WINDOW_MS = 5_000;
// The sink may finish reading what a worker wrote just before its SIGKILL a little after the kill
// is recorded: a first acceptance up to this long after it counts as the killed worker's too.
export const KILL_AFTER_MS = 1_000;
// At most this many messages are in flight in one worker process: 4 campaign batches × 5 lanes
// plus WORKER_CONCURRENCY (5) single messages.
export const IN_FLIGHT_PER_WORKER = 25;
// Memory: after a warm-up (the first 20% of a process's samples), the median of the last third
// may exceed the median of the first third by at most a share or a number of MiB, whichever is
// larger. Judged on the live heap after a full collection (what the process keeps), and on the
// resident set only in runs of at least RSS_JUDGED_FROM_S seconds: V8 lets its heap grow for about a
// minute before its first full collections, so in a short run the resident set only climbs.
export const MEMORY_RULE = { warmupShare: 0.2, growthShare: 0.25, growthMiB: 40 };
export const HEAP_RULE = { warmupShare: 0.2, growthShare: 0.2, growthMiB: 8 };
export const RSS_JUDGED_FROM_S = 120;

const fmt = (n: number): string => n.toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const idOf = (messageId: string): string => messageId.replace(/@.*$/, '');

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function runChecks(input: CheckInput): Promise<{ rows: Row[]; requests: string }> {
  const rows: Row[] = [];
  rows.push(...faultRows(input.faults, input.sinkStats));
  rows.push(...(await greetingRows(input)));
  rows.push(...(await outageCampaignRows(input)));
  rows.push(...(await deliveryRows(input)));
  rows.push(...(await purchaseRows(input)));
  rows.push(...(await surveyRows(input)));
  rows.push(...(await testEmailRows(input)));
  const api = apiRows(input.http.calls, input.faults);
  rows.push(...api.rows);
  rows.push(...memoryRows(input.memory, input.heap, input.faults));
  for (const [name, errors] of input.appErrors) {
    rows.push({
      check: `${name}: lines logged at level error`,
      figure: errors.length ? `${errors.length} (first: ${errors[0].slice(0, 160)})` : '0',
      expected: '— (informational)',
      ok: null,
    });
  }
  return { rows, requests: api.table };
}

function faultRows(f: Faults, sink: SinkStats): Row[] {
  const at = (t: number): string => `t=${((t - f.workloadStart) / 1000).toFixed(0)} s`;
  const rows: Row[] = [];
  rows.push({
    check: 'fault: a worker SIGKILLed mid-send, another started',
    figure: f.kill
      ? `pid ${f.kill.pid} at ${at(f.kill.at)}: ${fmt(f.kill.pendingBefore)} greetings pending, sink accepted ` +
        `${f.kill.acceptedLastSecond} in the second before; replacement consuming after ` +
        `${f.kill.replacementReadyS === null ? '?' : `${f.kill.replacementReadyS.toFixed(1)} s`}`
      : 'not applied',
    expected: 'applied while sending',
    ok:
      f.kill !== null && f.kill.pendingBefore > 0 && f.kill.acceptedLastSecond > 0 && f.kill.replacementReadyS !== null,
  });
  const refused = sink.refusedRcpt + sink.refusedData;
  const share = sink.attemptsWhileRefusing > 0 ? refused / sink.attemptsWhileRefusing : 0;
  rows.push({
    check: 'fault: the SMTP sink refused ~20% with 451',
    figure: f.refusal
      ? `${at(f.refusal.from)}–${at(f.refusal.to)}: ${fmt(refused)} refused (${fmt(sink.refusedRcpt)} at RCPT, ` +
        `${fmt(sink.refusedData)} after DATA) of ${fmt(sink.attemptsWhileRefusing)} attempts, ` +
        `${(share * 100).toFixed(1)}%`
      : 'not applied',
    expected: '15–25% of attempts in the window',
    ok: f.refusal !== null && refused > 0 && share >= 0.15 && share <= 0.25,
  });
  rows.push({
    check: 'fault: Redis crashed (SIGKILL, no persistence) and restarted empty',
    figure: f.redis
      ? `down ${at(f.redis.downAt)}–${at(f.redis.upAt)} (${secs(f.redis.upAt - f.redis.downAt)}), ` +
        `${fmt(f.redis.pendingAtCrash)} greetings pending at the crash, ${f.redis.keysAfter ?? '?'} keys right ` +
        'after the restart'
      : 'not applied',
    expected: 'applied while sending',
    ok: f.redis !== null && f.redis.pendingAtCrash > 0,
  });
  rows.push({
    check: 'fault: PostgreSQL stopped (fast shutdown, every connection cut) and started again',
    figure: f.postgres
      ? `down ${at(f.postgres.downAt)}–${at(f.postgres.upAt)} (${secs(f.postgres.upAt - f.postgres.downAt)}), ` +
        `${fmt(f.postgres.pendingAtStop)} greetings pending at the stop`
      : 'not applied',
    expected: 'applied while sending',
    ok: f.postgres !== null && f.postgres.pendingAtStop > 0,
  });
  rows.push({
    check: 'drain: workload end → every message sent',
    figure: f.drained ? secs(f.drainSeconds * 1000) : `not drained after ${secs(f.drainSeconds * 1000)}`,
    expected: 'drained',
    ok: f.drained,
  });
  return rows;
}

async function greetingRows(input: CheckInput): Promise<Row[]> {
  const { db, campaignId, deliveries } = input;
  const clients = (
    await db.query<{ email: string | null; consent: boolean }>(
      `SELECT lower(email) AS email, consent_greetings AS consent FROM customers WHERE deleted_at IS NULL`,
    )
  ).rows;
  const consenting = new Set(clients.filter((c) => c.consent && c.email).map((c) => c.email as string));
  const others = new Set(clients.filter((c) => !c.consent && c.email).map((c) => c.email as string));
  // Distinct Message-IDs the sink accepted per client address (clients get only greetings here).
  const perAddress = new Map<string, Set<string>>();
  for (const d of deliveries) {
    for (const to of d.to) {
      if (!consenting.has(to) && !others.has(to)) continue;
      const ids = perAddress.get(to) ?? new Set<string>();
      ids.add(d.id);
      perAddress.set(to, ids);
    }
  }
  let exactlyOnce = 0;
  let missing = 0;
  let several = 0;
  for (const email of consenting) {
    const n = perAddress.get(email)?.size ?? 0;
    if (n === 1) exactlyOnce++;
    else if (n === 0) missing++;
    else several++;
  }
  let nonConsentingReached = 0;
  for (const email of others) if (perAddress.has(email)) nonConsentingReached++;

  const progress = (
    await db.query<{ status: string; skip_reason: string | null; n: number }>(
      `SELECT status, skip_reason, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [campaignId],
    )
  ).rows;
  const count = (status: string, reason?: string): number =>
    progress
      .filter((p) => p.status === status && (reason === undefined || p.skip_reason === reason))
      .reduce((s, p) => s + p.n, 0);
  const [campaign] = (
    await db.query<{ status: string; audience_count: number }>(
      `SELECT status, audience_count FROM greeting_campaigns WHERE id = $1`,
      [campaignId],
    )
  ).rows;
  const noConsent = clients.filter((c) => !c.consent).length;
  const noEmail = clients.filter((c) => c.consent && !c.email).length;
  return [
    {
      check: 'greetings: every consenting client with an email got exactly one (distinct Message-IDs at the sink)',
      figure:
        `${fmt(exactlyOnce)} of ${fmt(consenting.size)} exactly one; ${fmt(missing)} none; ${fmt(several)} more ` +
        `than one; ${fmt(nonConsentingReached)} non-consenting reached`,
      expected: `${fmt(consenting.size)} of ${fmt(consenting.size)}; 0; 0; 0`,
      ok: exactlyOnce === consenting.size && missing === 0 && several === 0 && nonConsentingReached === 0,
    },
    {
      check: 'greetings: the campaign in PostgreSQL',
      figure:
        `${campaign?.status ?? '?'}; ${fmt(count('sent'))} sent, ${fmt(count('pending'))} pending, ` +
        `${fmt(count('failed'))} failed, skipped ${fmt(count('skipped', 'no_consent'))} no_consent + ` +
        `${fmt(count('skipped', 'no_channel'))} no_channel ` +
        `(+${fmt(count('skipped') - count('skipped', 'no_consent') - count('skipped', 'no_channel'))} other)`,
      expected: `completed; ${fmt(consenting.size)} sent, 0, 0, skipped ${fmt(noConsent)} + ${fmt(noEmail)} (+0)`,
      ok:
        campaign?.status === 'completed' &&
        count('sent') === consenting.size &&
        count('pending') === 0 &&
        count('failed') === 0 &&
        count('skipped', 'no_consent') === noConsent &&
        count('skipped', 'no_channel') === noEmail &&
        count('skipped') === noConsent + noEmail,
    },
  ];
}

async function outageCampaignRows(input: CheckInput): Promise<Row[]> {
  const c = input.faults.outageCampaign;
  if (!c)
    return [
      {
        check: 'greetings: a campaign scheduled while Redis was down',
        figure: 'not attempted',
        expected: '201 at once; completed, 0 sent',
        ok: false,
      },
    ];
  const [campaign] = c.id
    ? (await input.db.query<{ status: string }>(`SELECT status FROM greeting_campaigns WHERE id = $1`, [c.id])).rows
    : [];
  const progress = c.id
    ? (
        await input.db.query<{ status: string; skip_reason: string | null; n: number }>(
          `SELECT status, skip_reason, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY 1, 2`,
          [c.id],
        )
      ).rows
    : [];
  const [clients] = (
    await input.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers WHERE butler_id = $1 AND deleted_at IS NULL`,
      [c.butlerId],
    )
  ).rows;
  const total = progress.reduce((s, p) => s + p.n, 0);
  const sent = progress.filter((p) => p.status !== 'skipped').reduce((s, p) => s + p.n, 0);
  const reasons = progress.filter((p) => p.status === 'skipped').map((p) => `${p.skip_reason ?? '?'} ${fmt(p.n)}`);
  return [
    {
      check: "greetings: a campaign scheduled while Redis was down (one butler's clients, all greeted already)",
      figure:
        `answered ${c.status} in ${c.ms} ms; ${campaign?.status ?? '—'}; ${fmt(total)} messages, ${fmt(sent)} not ` +
        `skipped (${reasons.join(', ') || 'none'})`,
      expected: `201; completed; ${fmt(clients.n)} messages, 0 not skipped (capped, no_consent, no_channel)`,
      ok:
        c.status === 201 &&
        c.ms < 5_000 &&
        campaign?.status === 'completed' &&
        total === clients.n &&
        sent === 0 &&
        progress.every((p) => ['capped', 'no_consent', 'no_channel'].includes(p.skip_reason ?? '')),
    },
  ];
}

async function deliveryRows(input: CheckInput): Promise<Row[]> {
  const { db, deliveries, faults } = input;
  const sent = new Map(
    (
      await db.query<{ id: string; purpose: string }>(`SELECT id, purpose FROM messages WHERE status = 'sent'`)
    ).rows.map((r) => [r.id, r.purpose]),
  );
  const atSink = new Map(deliveries.map((d) => [idOf(d.id), d]));
  let missingAtSink = 0;
  for (const id of sent.keys()) if (!atSink.has(id)) missingAtSink++;
  let unknownAtSink = 0;
  for (const id of atSink.keys()) if (!sent.has(id)) unknownAtSink++;
  const repeated = deliveries.filter((d) => d.at.length > 1);
  const extra = repeated.reduce((s, d) => s + d.at.length - 1, 0);
  const inKillWindow = repeated.filter((d) => killCopy(d, faults));
  const acrossRestart = repeated.filter((d) => !inKillWindow.includes(d) && restartCopy(d, faults));
  const restartExtra = acrossRestart.reduce((s, d) => s + d.at.length - 1, 0);
  const unexplained = repeated.filter((d) => !inKillWindow.includes(d) && !acrossRestart.includes(d));
  const totalAccepted = deliveries.reduce((s, d) => s + d.at.length, 0);
  const byPurpose = new Map<string, number>();
  for (const purpose of sent.values()) byPurpose.set(purpose, (byPurpose.get(purpose) ?? 0) + 1);
  return [
    {
      check: 'outbox: every message PostgreSQL marks sent reached the sink, and only those',
      figure:
        `${fmt(sent.size)} sent (${[...byPurpose].map(([p, n]) => `${p} ${fmt(n)}`).join(', ')}); ` +
        `${fmt(missingAtSink)} missing at the sink; ${fmt(unknownAtSink)} at the sink not marked sent`,
      expected: '0 missing; 0 unknown',
      ok: missingAtSink === 0 && unknownAtSink === 0,
    },
    {
      check: "outbox: a Message-ID accepted twice (only the SIGKILLed worker's in-flight sends may be)",
      figure:
        `${fmt(extra - restartExtra)} repeat(s) of ${fmt(repeated.length - acrossRestart.length)} id(s), ` +
        `${inKillWindow.length} first accepted ≤ ${KILL_WINDOW_MS / 1000} s before the SIGKILL; sink accepted ` +
        `${fmt(totalAccepted)} in all` +
        // Where each unexplained one fell, against the faults, so a failure can be read.
        (unexplained.length > 0
          ? `; unexplained, acceptances in s from the start: ${timesOf(unexplained, faults)}`
          : ''),
      expected: `0, or only in the kill window (≤ ${IN_FLIGHT_PER_WORKER})`,
      ok: unexplained.length === 0 && inKillWindow.length <= IN_FLIGHT_PER_WORKER,
    },
    {
      // Outbox v2 claims a message, sends it with no transaction open and marks it in a second
      // transaction, retried until PostgreSQL is back: a send accepted while PostgreSQL was away is
      // marked once it returns, never sent again.
      check: 'outbox: a Message-ID accepted again across the PostgreSQL restart',
      figure:
        `${fmt(restartExtra)} repeat(s) of ${fmt(acrossRestart.length)} id(s), first accepted from ` +
        `${KILL_WINDOW_MS / 1000} s before the stop until PostgreSQL was back`,
      expected: '0',
      ok: restartExtra === 0,
    },
  ];
}

// A delivery repeated because the SIGKILLed worker died after the sink accepted it and before
// it was marked: sent once more, its first acceptance just before the kill.
function killCopy(d: Delivery, f: Faults): boolean {
  return (
    f.kill !== null &&
    d.at.length === 2 &&
    d.at[0] <= f.kill.at + KILL_AFTER_MS &&
    d.at[0] >= f.kill.at - KILL_WINDOW_MS
  );
}

// Each delivery's acceptances in s from the workload's start, beside the faults' times.
function timesOf(ds: Delivery[], f: Faults): string {
  const s = (at: number): string => ((at - f.workloadStart) / 1000).toFixed(2);
  const faults = [
    f.kill && `kill ${s(f.kill.at)}`,
    f.redis && `Redis down ${s(f.redis.downAt)}–${s(f.redis.upAt)}`,
    f.postgres && `PostgreSQL down ${s(f.postgres.downAt)}–${s(f.postgres.upAt)}`,
  ].filter(Boolean);
  return `${ds
    .slice(0, 5)
    .map((d) => d.at.map(s).join('/'))
    .join(', ')} (${faults.join('; ')})`;
}

// A delivery repeated because PostgreSQL went away while it was in flight: first accepted from
// KILL_WINDOW_MS before the stop until PostgreSQL was back.
function restartCopy(d: Delivery, f: Faults): boolean {
  return (
    f.postgres !== null &&
    d.at.length > 1 &&
    d.at[0] >= f.postgres.downAt - KILL_WINDOW_MS &&
    d.at[0] <= f.postgres.upAt
  );
}

// Asia/Shanghai (UTC+8, no daylight saving): the follow-ups a purchase implies, computed here on
// its own from the settings, the purchase time and when it was recorded.
function impliedSteps(purchasedAt: Date, recordedAt: Date, settings: CheckInput['settings']): string[] {
  const local = new Date(purchasedAt.getTime() + 8 * 3_600_000);
  const oldest = recordedAt.getTime() - settings.skipOverdueAfterDays * 86_400_000;
  return settings.cadence
    .filter(
      (step) =>
        Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + step.days, settings.dueHour - 8) >=
        oldest,
    )
    .map((step) => `d${step.days}`);
}

async function purchaseRows(input: CheckInput): Promise<Row[]> {
  const { db, state, runId, settings } = input;
  const records = [...state.purchases.values()];
  // Created: 201, or 200 to a retry of a 503 (the first attempt was recorded after all).
  const isCreated = (r: PurchaseRecord): boolean => r.firstStatus === 201 || (r.firstStatus === 200 && r.retried);
  const created = records.filter(isCreated);
  const unanswered = records.filter((r) => r.firstStatus === 0 || r.firstStatus === 503).length;
  const retried = records.filter((r) => r.retried).length;
  const reposts = records.reduce((s, r) => s + r.reposts, 0);
  const rows = (
    await db.query<{
      id: string;
      order_ref: string;
      customer_id: string;
      purchased_at: Date;
      created_at: Date;
      steps: string[] | null;
      n: number;
    }>(
      `SELECT p.id, p.order_ref, p.customer_id, p.purchased_at, p.created_at,
              array_agg(f.cadence_step ORDER BY f.cadence_step) FILTER (WHERE f.id IS NOT NULL) AS steps,
                count(f.id)::int AS n
         FROM purchases p LEFT JOIN follow_ups f ON f.purchase_id = p.id
        WHERE p.order_ref LIKE $1 GROUP BY p.id`,
      [`CHAOS-${runId}-%`],
    )
  ).rows;
  const byRef = new Map(rows.map((r) => [r.order_ref, r]));
  const lost = created.filter((r) => !byRef.has(r.orderRef) || byRef.get(r.orderRef)?.id !== r.purchaseId).length;
  const phantom = rows.filter((r) => {
    const record = state.purchases.get(r.order_ref);
    return !record || (!isCreated(record) && record.firstStatus !== 0 && record.firstStatus !== 503);
  }).length;
  let expected = 0;
  let found = 0;
  let missing = 0;
  let extra = 0;
  for (const r of rows) {
    const want = impliedSteps(r.purchased_at, state.purchases.get(r.order_ref)?.postedAt ?? r.created_at, settings);
    const have = r.steps ?? [];
    expected += want.length;
    found += r.n;
    missing += want.filter((s) => !have.includes(s)).length;
    extra += have.length - have.filter((s) => want.includes(s)).length + (have.length - new Set(have).size);
  }
  const [stats] = (
    await db.query<{ counted: number; actual: number }>(
      `SELECT (SELECT coalesce(sum(purchase_count), 0)::int FROM customers) AS counted,
        (SELECT count(*)::int FROM purchases) AS actual`,
    )
  ).rows;
  return [
    {
      check: 'purchases: each new orderRef recorded once; re-posted ones answered 200 with the first',
      figure:
        `${fmt(created.length)} created (201, or 200 to a retry after a 503; ${fmt(retried)} retried), ` +
        `${fmt(rows.length)} in PostgreSQL; ${fmt(reposts)} re-posts; ${lost} lost, ${phantom} unexpected, ` +
        `${unanswered} unanswered`,
      expected: `${fmt(created.length)} in PostgreSQL; 0 lost, 0 unexpected`,
      ok: lost === 0 && phantom === 0 && rows.length >= created.length && rows.length <= created.length + unanswered,
    },
    {
      check: "purchases: clients' purchase counts agree with the purchases",
      figure: `Σ purchase_count ${fmt(stats.counted)}, purchases ${fmt(stats.actual)}`,
      expected: 'equal',
      ok: stats.counted === stats.actual,
    },
    {
      check: 'follow-ups: every one a purchase implied exists once',
      figure:
        `${fmt(expected)} implied (cadence ${settings.cadence.map((s) => `d${s.days}`).join('/')}, ` +
        `${settings.skipOverdueAfterDays}-day overdue cut-off), ${fmt(found)} found; ${missing} missing, ${extra} ` +
        'extra or duplicate',
      expected: `${fmt(expected)} found; 0; 0`,
      ok: found === expected && missing === 0 && extra === 0,
    },
  ];
}

async function surveyRows(input: CheckInput): Promise<Row[]> {
  const { db, state, http, adminToken } = input;
  const answered = state.surveys.filter(surveyAnswered);
  const unanswered = state.surveys.filter((s) => s.status === 0 || s.status === 503);
  const hashes = state.surveys.map((s) => createHash('sha256').update(s.token).digest('hex'));
  const [raw] = (
    await db.query<{ responses: number; responded: number }>(
      `SELECT count(r.id)::int AS responses, count(*) FILTER (WHERE i.status = 'responded')::int AS responded
         FROM survey_invitations i LEFT JOIN survey_responses r ON r.invitation_id = i.id
        WHERE i.token_hash = ANY(SELECT decode(h, 'hex') FROM unnest($1::text[]) h)`,
      [hashes],
    )
  ).rows;
  const [summary] = (
    await db.query<{ responses: number }>(
      `SELECT coalesce(sum(responses), 0)::int AS responses FROM butler_daily_stats`,
    )
  ).rows;
  const [all] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_responses`)).rows;
  const report = await http.request(
    'GET /reports/butlers (final)',
    'GET',
    `/api/v1/reports/butlers?from=${input.reportFrom}&to=${input.reportTo}`,
    { token: adminToken, expect: [200] },
  );
  const reported =
    report.status === 200
      ? ((report.body as { items?: { responses?: number }[] }).items ?? []).reduce((s, i) => s + (i.responses ?? 0), 0)
      : -1;
  const recompute = await http.request('POST /reports/recompute (final)', 'POST', '/api/v1/reports/recompute', {
    token: adminToken,
    expect: [200, 201],
  });
  const drifted =
    recompute.status === 200 || recompute.status === 201
      ? ((recompute.body as { driftedRows?: number }).driftedRows ?? -1)
      : -1;
  const reposts = state.surveys.reduce((s, r) => s + r.reposts, 0);
  const detractors = answered.filter((s) => s.detractor).length;
  const [loop] = (
    await db.query<{ recoveries: number; alerts: number; alerts_sent: number }>(
      `SELECT (SELECT count(*)::int FROM follow_ups WHERE kind = 'recovery'
        AND survey_response_id IS NOT NULL) AS recoveries,
              (SELECT count(*)::int FROM messages WHERE purpose = 'recovery_alert') AS alerts,
              (SELECT count(*)::int FROM messages WHERE purpose = 'recovery_alert' AND status = 'sent') AS alerts_sent`,
    )
  ).rows;
  const exact =
    raw.responses === answered.length ||
    (raw.responses >= answered.length && raw.responses <= answered.length + unanswered.length);
  return [
    {
      check: 'surveys: every submitted answer counted once (raw rows, summary, /reports/butlers)',
      figure:
        `${fmt(answered.length)} answered 200 (${fmt(reposts)} re-submits); responses ${fmt(raw.responses)} ` +
        `(${fmt(all.n)} in all), invitations responded ${fmt(raw.responded)}, summary ${fmt(summary.responses)}, ` +
        `report ${fmt(reported)}; recompute drift ${drifted} rows`,
      expected: `${fmt(answered.length)} everywhere; drift 0`,
      ok:
        exact &&
        raw.responded === raw.responses &&
        all.n === raw.responses &&
        summary.responses === raw.responses &&
        reported === raw.responses &&
        drifted === 0,
    },
    {
      check: 'surveys: each detractor answer opened one recovery follow-up and one manager alert (sent)',
      figure:
        `${fmt(detractors)} detractors; ${fmt(loop.recoveries)} recovery follow-ups, ${fmt(loop.alerts)} alerts, ` +
        `${fmt(loop.alerts_sent)} sent`,
      expected: `${fmt(detractors)} each`,
      ok:
        unanswered.length > 0
          ? loop.recoveries >= detractors
          : loop.recoveries === detractors && loop.alerts === detractors && loop.alerts_sent === detractors,
    },
  ];
}

async function testEmailRows(input: CheckInput): Promise<Row[]> {
  const { db, state, deliveries } = input;
  const accepted = state.testEmails.filter((t) => t.status === 202 && t.id);
  // 409 to a retry after a 503: the first attempt's outcome was never recorded (the key stays
  // taken); whether it took effect is not known to the client.
  const unknown = state.testEmails.filter((t) => t.status !== 202).length;
  const ids = accepted.map((t) => t.id as string);
  const rows = (
    await db.query<{ id: string; status: string }>(`SELECT id, status FROM messages WHERE id = ANY($1::uuid[])`, [ids])
  ).rows;
  const sentIds = new Set(rows.filter((r) => r.status === 'sent').map((r) => r.id));
  const atSink = new Map(deliveries.map((d) => [idOf(d.id), d.at.length]));
  const once = ids.filter((id) => atSink.get(id) === 1).length;
  const mine = deliveries.filter((d) => ids.includes(idOf(d.id)));
  const restartCopies = mine.filter((d) => restartCopy(d, input.faults)).length;
  // The SIGKILLed worker's in-flight send (the outbox's one duplicate window) is forgiven here too.
  const killCopies = mine.filter((d) => killCopy(d, input.faults));
  const otherCopies = mine.filter((d) => d.at.length > 1 && !killCopy(d, input.faults));
  return [
    {
      check: 'test emails (POST /admin/test-email, also during the Redis outage): each sent once',
      figure:
        `${fmt(accepted.length)} accepted (202), ${unknown} with an unknown outcome; ${fmt(rows.length)} recorded, ` +
        `${fmt(sentIds.size)} sent, ${fmt(once)} delivered exactly once, ${restartCopies} more than once across ` +
        `the PostgreSQL restart, ${killCopies.length} twice in the kill window` +
        (otherCopies.length > 0 ? `; others repeated at ${timesOf(otherCopies, input.faults)}` : ''),
      expected: `${fmt(accepted.length)} each, 0 more than once (but in the kill window)`,
      ok:
        rows.length === accepted.length &&
        sentIds.size === accepted.length &&
        once + killCopies.length === accepted.length &&
        otherCopies.length === 0,
    },
  ];
}

// A 503 that says what is wrong: NestJS's error body, /health naming what is down, or a client's
// page saying so.
function clearServiceUnavailable(call: Call): boolean {
  if (call.status !== 503 || !call.body) return false;
  // A client's page (survey, unsubscribe): the Chinese page saying the system is away for now.
  if (call.body.includes('系统暂时无法访问')) return true;
  try {
    const body = JSON.parse(call.body) as {
      statusCode?: number;
      message?: unknown;
      error?: Record<string, { status?: string }>;
    };
    if (body.statusCode === 503 && body.message) return true;
    return Object.values(body.error ?? {}).some((e) => e?.status === 'down');
  } catch {
    return false;
  }
}

function apiRows(calls: Call[], f: Faults): { rows: Row[]; table: string } {
  const within = (c: Call, o: { downAt: number; upAt: number } | null): boolean =>
    o !== null && c.end >= o.downAt && c.start <= o.upAt + OUTAGE_GRACE_MS;
  const inOutage = (c: Call): boolean => within(c, f.redis) || within(c, f.postgres);
  const during = calls.filter((c) => c.start <= f.workloadEnd + 60_000);
  const ok = during.filter((c) => c.expected.includes(c.status) && !c.wrong);
  const outage503 = during.filter((c) => !c.expected.includes(c.status) && inOutage(c) && clearServiceUnavailable(c));
  const failures = during.filter((c) => c.wrong || (!c.expected.includes(c.status) && !outage503.includes(c)));
  const kinds = [...new Set(during.map((c) => c.kind))].sort();
  const lines = [
    '| request | answers | as expected | 503 in the outage | failed | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...kinds.map((kind) => {
      const mine = during.filter((c) => c.kind === kind);
      const ms = mine.map((c) => c.end - c.start);
      return (
        `| ${kind} | ${fmt(mine.length)} | ${fmt(mine.filter((c) => ok.includes(c)).length)} | ` +
        `${fmt(mine.filter((c) => outage503.includes(c)).length)} | ` +
        `${fmt(mine.filter((c) => failures.includes(c)).length)} | ${median(ms).toFixed(0)} | ` +
        `${quantile(ms, 0.99).toFixed(0)} |`
      );
    }),
  ];
  const sample = failures
    .slice(0, 3)
    .map(
      (c) =>
        `${c.kind} → ${c.status}${c.wrong ? ` (${c.wrong})` : ''} at ` +
        `t=${((c.start - f.workloadStart) / 1000).toFixed(1)} s${c.body ? `: ${c.body.slice(0, 120)}` : ''}`,
    );
  const outsideWindow503 = during.filter((c) => c.status === 503 && !inOutage(c)).length;
  return {
    rows: [
      {
        check: 'API: no request failed, except clear 503s while Redis or PostgreSQL was down',
        figure:
          `${fmt(during.length)} requests: ${fmt(ok.length)} as expected, ${fmt(outage503.length)} clear 503 ` +
          `during the outage, ${fmt(failures.length)} failed (${outsideWindow503} 503 outside ` +
          `it)${sample.length ? `; e.g. ${sample.join('; ')}` : ''}`,
        expected: '0 failed',
        ok: failures.length === 0,
      },
    ],
    table: lines.join('\n'),
  };
}

function memoryRows(memory: Map<string, RssSample[]>, heap: Map<string, RssSample[]>, f: Faults): Row[] {
  const rssJudged = f.workloadEnd - f.workloadStart >= RSS_JUDGED_FROM_S * 1000;
  const rows: Row[] = [];
  for (const [name, all] of memory) {
    rows.push(growthRow(`${name} live heap (after a full GC)`, heap.get(name) ?? [], f, HEAP_RULE, true));
    rows.push(growthRow(`${name} RSS`, all, f, MEMORY_RULE, rssJudged));
  }
  return rows;
}

function growthRow(what: string, all: RssSample[], f: Faults, rule: typeof MEMORY_RULE, judged: boolean): Row {
  const samples = all.filter((s) => s.at >= f.workloadStart && s.at <= f.workloadEnd);
  const peak = Math.max(...all.map((s) => s.mib));
  const rest = samples.slice(Math.floor(samples.length * rule.warmupShare));
  if (rest.length < 6) {
    return {
      check: `memory: ${what}`,
      figure: `${samples.length} samples during the workload (peak ${peak.toFixed(0)} MiB)`,
      expected: '— (too short-lived to judge)',
      ok: null,
    };
  }
  const third = Math.floor(rest.length / 3);
  const first = median(rest.slice(0, third).map((s) => s.mib));
  const last = median(rest.slice(rest.length - third).map((s) => s.mib));
  const allowed = Math.max(first * rule.growthShare, rule.growthMiB);
  return {
    check: `memory: ${what} stayed flat`,
    figure:
      `median ${first.toFixed(0)} → ${last.toFixed(0)} MiB ` +
      `(${last - first >= 0 ? '+' : '−'}${Math.abs(last - first).toFixed(0)}), peak ${peak.toFixed(0)} MiB, ` +
      `${rest.length} samples`,
    expected: judged
      ? `growth ≤ ${allowed.toFixed(0)} MiB`
      : `— (informational: judged in runs of ${RSS_JUDGED_FROM_S} s or more)`,
    ok: judged ? last - first <= allowed : null,
  };
}

export function markdownTable(rows: Row[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| check | figure | expected | ok |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.check)} | ${cell(r.figure)} | ${cell(r.expected)} | ${r.ok === null ? '—' : r.ok ? 'yes' : 'NO'} |`,
    ),
  ].join('\n');
}
