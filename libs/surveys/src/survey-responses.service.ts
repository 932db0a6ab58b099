import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Clock, shanghaiDay } from '@app/common';
import { MessageEntity, OutboxService } from '@app/mail';
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

// A detractor's closed loop in one statement: the client marked at risk, the butler's manager (an
// admin when the butler has none) found, and their recovery follow-up created. Returns that
// owner (no row when there is none).
export function recoverySql(invitation: InvitationRow, responseId: string, answers: SurveyAnswers, now: Date): { sql: string; params: unknown[]; dueAt: Date } {
  const dueAt = new Date(now.getTime() + RECOVERY_DUE_MS);
  const score = `满意度 ${answers.csat}/5${answers.nps === null ? '' : ` · 推荐意愿 ${answers.nps}/10`}`;
  return {
    sql: `WITH owner AS (
        SELECT m.id, m.name, m.email FROM users m
         WHERE m.active AND (m.id = (SELECT manager_id FROM users WHERE id = $3::uuid) OR m.role = 'admin')
         ORDER BY (m.role = 'manager') DESC, m.created_at LIMIT 1
      ), at_risk AS (
        UPDATE customers SET last_detractor_at = $2::timestamptz WHERE id = $1::uuid
      ), recovery AS (
        INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, note, survey_response_id)
        SELECT $1::uuid, owner.id, 'recovery'::follow_up_kind, $4::text, $5::timestamptz, $6::text, $7::uuid FROM owner
        ON CONFLICT (survey_response_id) WHERE survey_response_id IS NOT NULL DO NOTHING
      )
      SELECT id, name, email FROM owner`,
    params: [
      invitation.customer_id, now, invitation.butler_id, `低分挽回：${invitation.customer_name}`.slice(0, 100), dueAt,
      `${score}（管家 ${invitation.butler_name}）${answers.comment ? `：${answers.comment}` : ''}`, responseId,
    ],
    dueAt,
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
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      const [row] = (await pool.query<RecordedRow>(statement)).rows;
      if (!row?.response_id) return this.refusal(row ?? null, now) ?? { status: 410, html: SURVEY_PAGES.expired() };
      return { status: 200, html: SURVEY_PAGES.thanks() };
    }
    // A detractor's answer and its closed loop (recovery task, at-risk mark, manager email) commit
    // together.
    let alert: MessageEntity | null = null;
    const result = await this.dataSource.transaction(async (em) => {
      // A named (prepared) statement on the transaction's own connection: parsed and planned once
      // per connection, as planning this statement costs more than running it.
      const client = (await em.queryRunner!.connect()) as PoolClient;
      const [row] = (await client.query<RecordedRow>(statement)).rows;
      // Whether it recorded is the statement's word (it checked the locked row); if not, the
      // page says why, from the same row.
      if (!row?.response_id) return this.refusal(row ?? null, now) ?? { status: 410, html: SURVEY_PAGES.expired() };
      alert = await this.closeTheLoop(em, row, row.response_id, answers, now);
      return { status: 200, html: SURVEY_PAGES.thanks() };
    });
    if (alert) await this.outbox.enqueue([alert]);
    return result;
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

  // A low score: the client is marked at risk, the butler's manager (an admin when the butler has
  // none) gets a recovery follow-up due within 24 hours and an email now.
  private async closeTheLoop(em: EntityManager, invitation: InvitationRow, responseId: string, answers: SurveyAnswers, now: Date): Promise<MessageEntity | null> {
    const recovery = recoverySql(invitation, responseId, answers, now);
    const [owner]: { id: string; name: string; email: string }[] = await em.query(recovery.sql, recovery.params);
    if (!owner) {
      this.logger.error(`No active manager or admin for the recovery of survey response ${responseId}`);
      return null;
    }
    const { dueAt } = recovery;
    return this.outbox.record(
      {
        key: `recovery-alert:${responseId}`,
        purpose: 'recovery_alert',
        toAddress: owner.email,
        template: 'recovery-alert',
        context: {
          managerName: owner.name,
          customerName: invitation.customer_name,
          butlerName: invitation.butler_name,
          csat: answers.csat,
          nps: answers.nps ?? '未填写',
          comment: answers.comment || '（无）',
          dueAt: DUE_AT_FORMAT.format(dueAt),
        },
        scheduledAt: new Date(),
      },
      em,
    );
  }
}

function context(invitation: InvitationRow): { customerName: string; butlerName: string } {
  return { customerName: invitation.customer_name, butlerName: invitation.butler_name };
}
