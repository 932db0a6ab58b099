import type { Pool } from 'pg';

import { signInOriginMatchSql } from '@app/auth';
import type { OriginHashes } from '@app/common';
import { touchAfterResponsesSql } from '@app/customers/sql';
import { insertRecoveryFollowUpsSql } from '@app/follow-ups/sql';
import { insertMessagesSql } from '@app/mail/sql';

import { addToStatsSql, RESPONSE_COLUMNS, shanghaiDaySql } from './butler-stats';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';
import { addToSatisfactionSql, NO_RFM_CUTS, responseFactsSql, RfmCuts } from './satisfaction-stats';
import { isDetractor, SurveyAnswers } from './survey-form';

// One answer waiting to be recorded: its token's hash, the answers and when they were given.
export interface PendingResponse {
  tokenHash: Buffer;
  answers: SurveyAnswers;
  now: Date;
  // Where it was answered from (keyed hashes; none when unknown).
  origin?: OriginHashes;
}

// An invitation as the survey page reads it.
export interface SurveyInvitationRow {
  id: string;
  status: string;
  customer_id: string;
  butler_id: string;
  expires_at: Date | null;
  customer_name: string;
  butler_name: string;
  // Read by the survey page (a recovery re-survey asks one question); the batch statement omits it.
  source?: string;
}

// The invitation a token named, as it was when locked, and what its answer did: the response
// recorded (null when none was: the invitation had been answered, withdrawn or had expired) and,
// for a detractor's, who owns the recovery (null when no active manager or admin exists) and the
// alerts to them recorded in the outbox (one per channel they chose: email, SMS).
export interface RecordedResponse extends SurveyInvitationRow {
  response_id: string | null;
  // Held out of the figures by rating integrity (integrity.ts).
  flagged: boolean | null;
  recovery_owner_id: string | null;
  alert_ids: string[] | null;
  alert_scheduled_at: Date | null;
}

// An alert's outbox key per channel: the email's is the key alerts had before SMS.
export const RECOVERY_ALERT_KEY_PREFIX = { email: 'recovery-alert:', sms: 'recovery-alert-sms:' } as const;

export const RECORD_RESPONSES_STATEMENT = 'survey-record-responses';

const DIMENSIONS = SERVQUAL_DIMENSIONS.join(', ');
const HOUR_MS = 3_600_000;
// A recovery call is due within this long of the low score.
const RECOVERY_DUE_MS = 24 * HOUR_MS;
// As Date#toLocaleString('zh-CN', these options) writes it, without building a formatter per call.
const DUE_AT_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'medium',
  timeStyle: 'short',
});

const DIMENSION_PARAMS = SERVQUAL_DIMENSIONS.map((_, i) => `$${5 + i}::smallint[]`).join(', ');
const RESPONSE_SUMS = RESPONSE_COLUMNS.map((c) => `sum(${c.sql})::int`).join(', ');

// Many answers in one statement (one round trip, one commit):
// - lock each named invitation (in id order) and keep those still sent and unexpired when answered;
// - insert their responses and mark the invitations responded;
// - add the responses to their butlers' day rows, summed per butler and day and written in key
//   order (two statements running at once take those locks in the same order). The sums are the
//   recompute's own expressions over the inserted rows, so the write path and the drift check
//   cannot disagree;
// - add them to the satisfaction summary by client group (satisfaction-stats.ts), the client's
//   tier, city, … and RFM segment (against the cut points $18–$20) frozen as they are now; a flagged
//   answer (integrity.ts) is left out of both, as of every figure;
// - close the loop on each detractor's answer: the client marked at risk, the butler's manager (an
//   admin when the butler has none) found, their recovery follow-up due within 24 hours created,
//   and the alert to them recorded in the outbox to go at once (by the wall clock; the caller
//   queues it after commit), on each channel they chose: by SMS when they chose it, have a mobile
//   and an SMS provider and the alert's SMS template are configured ($14), by email when they chose
//   it or SMS cannot reach them.
// Returns one row per known token, `n` being its position in the input arrays; an unknown token
// has no row. Its text never changes: prepared once per connection.
const RECORD_RESPONSES_SQL = `WITH input AS (
    SELECT * FROM unnest($1::bytea[], $2::timestamptz[], $3::smallint[], $4::smallint[], ${DIMENSION_PARAMS},
                         $10::text[], $11::boolean[], $12::text[], $15::bytea[], $16::bytea[])
      WITH ORDINALITY AS x(token_hash, responded_at, csat, nps, ${DIMENSIONS}, comment, detractor, due_label,
                           ip_hash, ua_hash, n)
  ), invitation AS (
    SELECT x.n, i.id, i.status, i.customer_id, i.butler_id, i.expires_at, i.channel, c.name AS customer_name,
           u.name AS butler_name, i.integrity_reasons
      FROM input x JOIN survey_invitations i ON i.token_hash = x.token_hash
      JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
     ORDER BY i.id FOR UPDATE OF i
  ), answerable AS (
    SELECT a.*, jsonb_array_length(a.reasons) > 0 AS flagged FROM (
      SELECT v.id, v.customer_id, v.butler_id, v.channel, v.customer_name, v.butler_name, x.*,
             v.integrity_reasons || COALESCE((
               SELECT jsonb_build_array(jsonb_build_object('code', 'butler_origin', 'match', m.origin))
                 FROM (SELECT ${signInOriginMatchSql({
                   user: 'v.butler_id',
                   ipHash: 'x.ip_hash',
                   uaHash: 'x.ua_hash',
                   since: `x.responded_at - make_interval(days => $17::int)`,
                   until: 'x.responded_at',
                 })} AS origin) m WHERE m.origin IS NOT NULL), '[]'::jsonb) AS reasons
        FROM invitation v JOIN input x ON x.n = v.n
       WHERE v.status = 'sent' AND v.expires_at > x.responded_at
    ) a
  ), response AS (
    INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, ${DIMENSIONS}, comment,
                                  responded_at, channel, flagged, integrity_reasons, answer_ip_hash, answer_ua_hash)
    SELECT id, customer_id, butler_id, csat, nps, ${DIMENSIONS}, comment, responded_at, channel, flagged, reasons,
           ip_hash, ua_hash
      FROM answerable
    RETURNING id, invitation_id, customer_id, butler_id, responded_at, channel, csat, nps, ${DIMENSIONS}, flagged
  ), responded AS (
    UPDATE survey_invitations i SET status = 'responded', responded_at = a.responded_at
      FROM answerable a WHERE i.id = a.id
  ), stats AS (
    ${addToStatsSql(
      `SELECT r.butler_id, ${shanghaiDaySql('r.responded_at')}, ${RESPONSE_SUMS}
         FROM response r GROUP BY 1, 2 ORDER BY 1, 2`,
      RESPONSE_COLUMNS.map((c) => c.column),
    )}
  ), satisfaction AS (
    ${addToSatisfactionSql(
      // A flagged answer (rating integrity) counts in no figure: it joins the summary if it is cleared.
      responseFactsSql(`(SELECT response.*, 'transactional' AS kind FROM response WHERE NOT flagged)`, false, [
        '$18::timestamptz',
        '$19::int',
        '$20::bigint',
      ]),
    )}
  ), detractor AS (
    SELECT r.id AS response_id, a.* FROM response r JOIN answerable a ON a.id = r.invitation_id WHERE a.detractor
  ), owner AS (
    SELECT b.butler_id, o.id, o.name, o.email, o.mobile,
           ($14::boolean AND o.mobile IS NOT NULL AND 'sms' = ANY (o.alert_channels)) AS by_sms,
           'email' = ANY (o.alert_channels) AS by_email
      FROM (SELECT DISTINCT butler_id FROM detractor) b
      CROSS JOIN LATERAL (
        SELECT m.id, m.name, m.email, m.mobile, m.alert_channels FROM users m
         WHERE m.active AND (m.id = (SELECT manager_id FROM users WHERE id = b.butler_id) OR m.role = 'admin')
         ORDER BY (m.role = 'manager') DESC, m.created_at LIMIT 1
      ) o
  ), touched AS (
    ${touchAfterResponsesSql(`(
      SELECT a.customer_id, max(a.responded_at) AS touched_at,
             max(a.responded_at) FILTER (WHERE a.detractor) AS detractor_at
        FROM response r JOIN answerable a ON a.id = r.invitation_id GROUP BY a.customer_id)`)}
  ), recovery AS (
    ${insertRecoveryFollowUpsSql(`(
      SELECT d.customer_id, o.id AS owner_id, '低分挽回：' || d.customer_name AS title,
             d.responded_at + interval '${RECOVERY_DUE_MS / HOUR_MS} hours' AS due_at,
             '满意度 ' || d.csat || '/5' || COALESCE(' · 推荐意愿 ' || d.nps || '/10', '') || '（管家 ' || d.butler_name || '）'
               || COALESCE('：' || NULLIF(d.comment, ''), '') AS note,
             d.response_id AS survey_response_id, d.responded_at AS created_at
        FROM detractor d JOIN owner o ON o.butler_id = d.butler_id)`)}
  ), alert AS (
    ${insertMessagesSql(
      ['key', 'purpose', 'channel', 'to_address', 'template', 'context', 'scheduled_at'],
      `SELECT CASE a.channel WHEN 'sms' THEN '${RECOVERY_ALERT_KEY_PREFIX.sms}'
                ELSE '${RECOVERY_ALERT_KEY_PREFIX.email}' END || d.response_id,
              'recovery_alert', a.channel, a.address, 'recovery-alert',
              jsonb_build_object('managerName', o.name, 'customerName', d.customer_name, 'butlerName', d.butler_name,
                                 'csat', d.csat, 'nps', COALESCE(to_jsonb(d.nps), to_jsonb('未填写'::text)),
                                 'score', COALESCE('满意度' || d.csat || '/5', '')
                                          || COALESCE('，推荐' || d.nps || '/10', ''),
                                 'comment', COALESCE(NULLIF(d.comment, ''), '（无）'), 'dueAt', d.due_label,
                                 'clientUrl', $13::text || '/clients/' || d.customer_id),
              now()
         FROM detractor d JOIN owner o ON o.butler_id = d.butler_id
        CROSS JOIN LATERAL (VALUES ('email', o.email), ('sms', o.mobile)) a(channel, address)
        WHERE CASE a.channel WHEN 'sms' THEN o.by_sms ELSE o.by_email OR NOT o.by_sms END`,
      'key, id, scheduled_at',
    )}
  )
  SELECT v.id, v.status, v.customer_id, v.butler_id, v.expires_at, v.customer_name, v.butler_name, v.n,
         r.id AS response_id, r.flagged, o.id AS recovery_owner_id, al.alert_ids, al.alert_scheduled_at
    FROM invitation v LEFT JOIN response r ON r.invitation_id = v.id
    LEFT JOIN owner o ON r.id IS NOT NULL AND o.butler_id = v.butler_id AND (SELECT detractor FROM input WHERE n = v.n)
    LEFT JOIN LATERAL (
      SELECT array_agg(alert.id) AS alert_ids, min(alert.scheduled_at) AS alert_scheduled_at FROM alert
       WHERE alert.key IN ('${RECOVERY_ALERT_KEY_PREFIX.email}' || r.id, '${RECOVERY_ALERT_KEY_PREFIX.sms}' || r.id)
    ) al ON true`;

// `consoleUrl`: the console's address (PUBLIC_BASE_URL), for the link to the client in the alert;
// `smsAlerts`: whether alerts by SMS can go out (a provider and the alert's SMS template are set).
// `sessionLookbackDays`: how far back the rated butler's sign-ins are compared with the answer's origin;
// `cuts`: the client base's RFM cut points (SegmentCuts), for the client's segment.
export function recordResponsesParams(
  batch: PendingResponse[],
  consoleUrl: string,
  smsAlerts = false,
  sessionLookbackDays = 0,
  cuts: RfmCuts = NO_RFM_CUTS,
): unknown[] {
  return [
    batch.map((p) => p.tokenHash),
    batch.map((p) => p.now),
    batch.map((p) => p.answers.csat),
    batch.map((p) => p.answers.nps),
    ...SERVQUAL_DIMENSIONS.map((d) => batch.map((p) => p.answers.servqual[d])),
    batch.map((p) => p.answers.comment),
    batch.map((p) => isDetractor(p.answers)),
    batch.map((p) => DUE_AT_FORMAT.format(new Date(p.now.getTime() + RECOVERY_DUE_MS))),
    consoleUrl.replace(/\/$/, ''),
    smsAlerts,
    batch.map((p) => p.origin?.ipHash ?? null),
    batch.map((p) => p.origin?.uaHash ?? null),
    sessionLookbackDays,
    cuts.recency,
    cuts.frequency,
    cuts.monetary,
  ];
}

// At most this many answers per statement, and one statement at a time. Every statement adds to
// the same summary rows (satisfaction_stats' every-team rows of the day: each tier, city, channel,
// …), so statements running at once queue on those row locks anyway; one at a time makes the next
// batch larger (the shared rows amortized over more answers) and spares the lock waits. Measured
// with the ratings bench's ceiling (the batcher on pg, 50 callers, 1M loaded), alternating: 1,174–1,588
// answers/s one at a time against 908–1,049/s with four (docs/benchmarks.md).
const MAX_BATCH = 100;
const MAX_IN_FLIGHT = 1;

interface Waiting extends PendingResponse {
  resolve: (row: RecordedResponse | undefined) => void;
  reject: (error: unknown) => void;
}

// Group commit for survey answers. Each answer waits for the statement that records it to commit
// before its caller hears back, so an answer acknowledged is an answer stored. A lone answer goes
// out at once (no timer, no added wait); answers arriving while statements are running join the
// next one. Under a burst this turns one commit per answer into one per batch.
//
// Should a batch fail as a whole (a deadlock with a concurrent recompute, a lost connection), its
// answers are retried one statement each, so one answer's trouble is never another's.
export class ResponseBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: () => Pool,
    private readonly consoleUrl: () => string = () => '',
    private readonly smsAlerts: () => Promise<boolean> = () => Promise.resolve(false),
    private readonly sessionLookbackDays: () => Promise<number> = () => Promise.resolve(0),
    private readonly rfmCuts: () => Promise<RfmCuts> = () => Promise.resolve(NO_RFM_CUTS),
  ) {}

  record(response: PendingResponse): Promise<RecordedResponse | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...response, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      this.inFlight++;
      void this.flush(this.take()).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  // The next batch: up to MAX_BATCH answers in arrival order, one per token (a second answer to
  // the same link waits for the next statement, where it finds the invitation already answered).
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const tokens = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < MAX_BATCH;) {
      const key = this.waiting[i].tokenHash.toString('hex');
      if (tokens.has(key)) {
        i++;
        continue;
      }
      tokens.add(key);
      batch.push(...this.waiting.splice(i, 1));
    }
    return batch;
  }

  private async flush(batch: Waiting[]): Promise<void> {
    try {
      const rows = await this.run(batch);
      batch.forEach((w, i) => w.resolve(rows.get(i + 1)));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((w) => this.run([w]).then((rows) => w.resolve(rows.get(1)), w.reject)));
    }
  }

  private async run(batch: PendingResponse[]): Promise<Map<number, RecordedResponse>> {
    const { rows } = await this.pool().query<RecordedResponse & { n: string }>({
      name: RECORD_RESPONSES_STATEMENT,
      text: RECORD_RESPONSES_SQL,
      values: recordResponsesParams(
        batch,
        this.consoleUrl(),
        await this.smsAlerts(),
        await this.sessionLookbackDays(),
        await this.rfmCuts(),
      ),
    });
    return new Map(rows.map(({ n, ...row }) => [Number(n), row]));
  }
}
