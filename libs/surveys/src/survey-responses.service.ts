import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Clock, shanghaiDay } from '@app/common';
import { OutboxService } from '@app/mail';
import { responseStatsParams, responseStatsSql } from './butler-stats';
import { isDetractor, parseSurveyForm, RawForm, SurveyAnswers } from './survey-form';
import { SURVEY_PAGES, surveyFormPage } from './survey-page';
import { hashSurveyToken, looksLikeSurveyToken } from './survey-token';

export interface SurveyPageResult {
  status: number;
  html: string;
}

interface InvitationRow {
  id: string;
  status: string;
  customer_id: string;
  butler_id: string;
  expires_at: Date | null;
  customer_name: string;
  butler_name: string;
}

// The invitation as it was when locked, and the response recorded (null when none was).
type RecordedRow = InvitationRow & { response_id: string | null };

const HOUR_MS = 3_600_000;
// A recovery call is due within this long of the low score.
const RECOVERY_DUE_MS = 24 * HOUR_MS;
// As Date#toLocaleString('zh-CN', these options) writes it, without building a formatter per call.
const DUE_AT_FORMAT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });

export const RECORD_RESPONSE_STATEMENT = 'survey-record-response';

// One response in one statement (one round trip): lock the invitation by its token's hash and,
// only if it is still sent and unexpired at $2, insert the response, mark the invitation responded
// and add to the butler's summary row. Returns one RecordedRow, or no row for an unknown token.
// Its text never changes: built once.
const RECORD_RESPONSE_SQL = `WITH invitation AS (
    SELECT i.id, i.status, i.customer_id, i.butler_id, i.expires_at, c.name AS customer_name, u.name AS butler_name
      FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
     WHERE i.token_hash = $1 FOR UPDATE OF i
  ), answerable AS (
    SELECT * FROM invitation WHERE status = 'sent' AND expires_at > $2::timestamptz
  ), response AS (
    INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, reliability, responsiveness, assurance, empathy, tangibles, comment, responded_at)
    SELECT id, customer_id, butler_id, $3::smallint, $4::smallint, $5::smallint, $6::smallint, $7::smallint, $8::smallint, $9::smallint, $10::text, $2::timestamptz
      FROM answerable RETURNING id
  ), responded AS (
    UPDATE survey_invitations SET status = 'responded', responded_at = $2::timestamptz WHERE id = (SELECT id FROM answerable)
  ), stats AS (
    ${responseStatsSql('answerable.butler_id', '$11::date', 'FROM answerable', 12)}
  )
  SELECT invitation.*, (SELECT id FROM response) AS response_id FROM invitation`;

export function recordResponseSql(tokenHash: Buffer, answers: SurveyAnswers, now: Date): { sql: string; params: unknown[] } {
  const { servqual } = answers;
  return {
    sql: RECORD_RESPONSE_SQL,
    params: [
      tokenHash, now, answers.csat, answers.nps, servqual.reliability, servqual.responsiveness, servqual.assurance, servqual.empathy, servqual.tangibles,
      answers.comment, shanghaiDay(now), ...responseStatsParams(answers),
    ],
  };
}

export const RECOVERY_STATEMENT = 'survey-recovery';

// A detractor's closed loop in one statement: the client marked at risk, the butler's manager (an
// admin when the butler has none) found, their recovery follow-up created and the alert to them
// recorded in the outbox to go at once (by the wall clock: queued after commit). Returns that
// owner and the alert (no row when there is no owner). Its text never changes: prepared once per
// connection.
const RECOVERY_SQL = `WITH owner AS (
    SELECT m.id, m.name, m.email FROM users m
     WHERE m.active AND (m.id = (SELECT manager_id FROM users WHERE id = $3::uuid) OR m.role = 'admin')
     ORDER BY (m.role = 'manager') DESC, m.created_at LIMIT 1
  ), at_risk AS (
    UPDATE customers SET last_detractor_at = $2::timestamptz WHERE id = $1::uuid
  ), recovery AS (
    INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, note, survey_response_id)
    SELECT $1::uuid, owner.id, 'recovery'::follow_up_kind, $4::text, $5::timestamptz, $6::text, $7::uuid FROM owner
    ON CONFLICT (survey_response_id) WHERE survey_response_id IS NOT NULL DO NOTHING
  ), alert AS (
    INSERT INTO messages (key, purpose, to_address, template, context, scheduled_at)
    SELECT 'recovery-alert:' || $7::text, 'recovery_alert', owner.email, 'recovery-alert',
           jsonb_build_object('managerName', owner.name) || $8::jsonb, now() FROM owner
    ON CONFLICT (key) DO NOTHING RETURNING id, scheduled_at
  )
  SELECT owner.id, owner.email, alert.id AS message_id, alert.scheduled_at FROM owner LEFT JOIN alert ON true`;

export interface RecoveryRow {
  id: string;
  email: string;
  // The alert's outbox row (null only if one was already recorded for this response).
  message_id: string | null;
  scheduled_at: Date | null;
}

export function recoverySql(invitation: InvitationRow, responseId: string, answers: SurveyAnswers, now: Date): { sql: string; params: unknown[] } {
  const dueAt = new Date(now.getTime() + RECOVERY_DUE_MS);
  const score = `满意度 ${answers.csat}/5${answers.nps === null ? '' : ` · 推荐意愿 ${answers.nps}/10`}`;
  // The alert email's context (the template adds the manager's name from the row found).
  const alert = {
    customerName: invitation.customer_name,
    butlerName: invitation.butler_name,
    csat: answers.csat,
    nps: answers.nps ?? '未填写',
    comment: answers.comment || '（无）',
    dueAt: DUE_AT_FORMAT.format(dueAt),
  };
  return {
    sql: RECOVERY_SQL,
    params: [
      invitation.customer_id, now, invitation.butler_id, `低分挽回：${invitation.customer_name}`.slice(0, 100), dueAt,
      `${score}（管家 ${invitation.butler_name}）${answers.comment ? `：${answers.comment}` : ''}`, responseId, JSON.stringify(alert),
    ],
  };
}

// The public survey page's logic: find the invitation by its token's hash, record one response,
// and close the loop on a low score, all in one transaction.
@Injectable()
export class SurveyResponsesService {
  private readonly logger = new Logger('Surveys');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async view(token: string): Promise<SurveyPageResult> {
    const invitation = await this.find(token);
    const refusal = this.refusal(invitation, this.clock.now());
    if (refusal) return refusal;
    return { status: 200, html: surveyFormPage(context(invitation!)) };
  }

  async submit(token: string, form: RawForm): Promise<SurveyPageResult> {
    const now = this.clock.now();
    const parsed = parseSurveyForm(form);
    if ('problems' in parsed) {
      // Nothing is recorded: the page says why the link cannot be used, or what to correct.
      const invitation = await this.find(token);
      return this.refusal(invitation, now) ?? { status: 400, html: surveyFormPage(context(invitation!), form, parsed.problems) };
    }
    const { answers } = parsed;
    if (!looksLikeSurveyToken(token)) return this.refusal(null, now)!;
    const record = recordResponseSql(hashSurveyToken(token), answers, now);
    const statement = { name: RECORD_RESPONSE_STATEMENT, text: record.sql, values: record.params };
    if (!isDetractor(answers)) {
      // Most answers: the one statement is its own transaction (lock, insert, mark, summary), on
      // any pooled connection — one round trip, no BEGIN/COMMIT.
      const [row] = (await this.pool().query<RecordedRow>(statement)).rows;
      if (!row?.response_id) return this.refusal(row ?? null, now) ?? { status: 410, html: SURVEY_PAGES.expired() };
      return { status: 200, html: SURVEY_PAGES.thanks() };
    }
    // A detractor's answer and its closed loop (recovery task, at-risk mark, manager email) commit
    // together: two prepared statements in one transaction on a pooled connection.
    const client = await this.pool().connect();
    let alert: RecoveryRow | undefined;
    let broken = false;
    try {
      await client.query('BEGIN');
      const [row] = (await client.query<RecordedRow>(statement)).rows;
      // Whether it recorded is the statement's word (it checked the locked row); if not, the
      // page says why, from the same row.
      if (!row?.response_id) {
        await client.query('ROLLBACK');
        return this.refusal(row ?? null, now) ?? { status: 410, html: SURVEY_PAGES.expired() };
      }
      const recovery = recoverySql(row, row.response_id, answers, now);
      [alert] = (await client.query<RecoveryRow>({ name: RECOVERY_STATEMENT, text: recovery.sql, values: recovery.params })).rows;
      await client.query('COMMIT');
      if (!alert) this.logger.error(`No active manager or admin for the recovery of survey response ${row.response_id}`);
    } catch (error) {
      // A connection that cannot even roll back is not returned to the pool.
      broken = await client.query('ROLLBACK').then(() => false, () => true);
      throw error;
    } finally {
      client.release(broken);
    }
    // After commit; if Redis is away the reconciler queues it later (the row is pending).
    if (alert?.message_id) await this.outbox.enqueue([{ id: alert.message_id, scheduledAt: alert.scheduled_at! }]);
    return { status: 200, html: SURVEY_PAGES.thanks() };
  }

  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private async find(token: string): Promise<InvitationRow | null> {
    if (!looksLikeSurveyToken(token)) return null;
    const [row]: InvitationRow[] = await this.dataSource.query(
      `SELECT i.id, i.status, i.customer_id, i.butler_id, i.expires_at, c.name AS customer_name, u.name AS butler_name
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
        WHERE i.token_hash = $1`,
      [hashSurveyToken(token)],
    );
    return row ?? null;
  }

  private refusal(invitation: InvitationRow | null, now: Date): SurveyPageResult | null {
    if (!invitation) return { status: 404, html: SURVEY_PAGES.notFound() };
    if (invitation.status === 'responded') return { status: 409, html: SURVEY_PAGES.used() };
    if (invitation.status !== 'sent') return { status: 404, html: SURVEY_PAGES.notFound() };
    if (!invitation.expires_at || invitation.expires_at.getTime() <= now.getTime()) return { status: 410, html: SURVEY_PAGES.expired() };
    return null;
  }
}

function context(invitation: InvitationRow): { customerName: string; butlerName: string } {
  return { customerName: invitation.customer_name, butlerName: invitation.butler_name };
}
