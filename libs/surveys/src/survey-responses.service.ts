import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, shanghaiDay } from '@app/common';
import { MessageEntity, OutboxService } from '@app/mail';
import { addResponseToStats } from './butler-stats';
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

const HOUR_MS = 3_600_000;
// A recovery call is due within this long of the low score.
const RECOVERY_DUE_MS = 24 * HOUR_MS;

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
    const invitation = await this.find(this.dataSource.manager, token, false);
    const refusal = this.refusal(invitation);
    if (refusal) return refusal;
    return { status: 200, html: surveyFormPage(context(invitation!)) };
  }

  async submit(token: string, form: RawForm): Promise<SurveyPageResult> {
    let alert: MessageEntity | null = null;
    const result = await this.dataSource.transaction(async (em) => {
      const invitation = await this.find(em, token, true);
      const refusal = this.refusal(invitation);
      if (refusal) return refusal;
      const parsed = parseSurveyForm(form);
      if ('problems' in parsed) return { status: 400, html: surveyFormPage(context(invitation!), form, parsed.problems) };
      alert = await this.record(em, invitation!, parsed.answers);
      return { status: 200, html: SURVEY_PAGES.thanks() };
    });
    if (alert) await this.outbox.enqueue([alert]);
    return result;
  }

  private async find(em: EntityManager, token: string, lock: boolean): Promise<InvitationRow | null> {
    if (!looksLikeSurveyToken(token)) return null;
    const [row]: InvitationRow[] = await em.query(
      `SELECT i.id, i.status, i.customer_id, i.butler_id, i.expires_at, c.name AS customer_name, u.name AS butler_name
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
        WHERE i.token_hash = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [hashSurveyToken(token)],
    );
    return row ?? null;
  }

  private refusal(invitation: InvitationRow | null): SurveyPageResult | null {
    if (!invitation) return { status: 404, html: SURVEY_PAGES.notFound() };
    if (invitation.status === 'responded') return { status: 409, html: SURVEY_PAGES.used() };
    if (invitation.status !== 'sent') return { status: 404, html: SURVEY_PAGES.notFound() };
    if (!invitation.expires_at || invitation.expires_at.getTime() <= this.clock.now().getTime()) return { status: 410, html: SURVEY_PAGES.expired() };
    return null;
  }

  // Returns the manager's alert email when the answer is a detractor's.
  private async record(em: EntityManager, invitation: InvitationRow, answers: SurveyAnswers): Promise<MessageEntity | null> {
    const now = this.clock.now();
    const { servqual } = answers;
    const [response]: { id: string }[] = await em.query(
      `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, reliability, responsiveness, assurance, empathy, tangibles, comment, responded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [invitation.id, invitation.customer_id, invitation.butler_id, answers.csat, answers.nps, servqual.reliability, servqual.responsiveness, servqual.assurance, servqual.empathy, servqual.tangibles, answers.comment, now],
    );
    await em.query(`UPDATE survey_invitations SET status = 'responded', responded_at = $2 WHERE id = $1`, [invitation.id, now]);
    await addResponseToStats(em, invitation.butler_id, shanghaiDay(now), answers);
    if (!isDetractor(answers)) return null;
    return this.closeTheLoop(em, invitation, response.id, answers, now);
  }

  // A low score: the client is marked at risk, the butler's manager (an admin when the butler has
  // none) gets a recovery follow-up due within 24 hours and an email now.
  private async closeTheLoop(em: EntityManager, invitation: InvitationRow, responseId: string, answers: SurveyAnswers, now: Date): Promise<MessageEntity | null> {
    await em.query(`UPDATE customers SET last_detractor_at = $2 WHERE id = $1`, [invitation.customer_id, now]);
    const [owner]: { id: string; name: string; email: string }[] = await em.query(
      `SELECT m.id, m.name, m.email FROM users m
        WHERE m.active AND (m.id = (SELECT manager_id FROM users WHERE id = $1) OR m.role = 'admin')
        ORDER BY (m.role = 'manager') DESC, m.created_at LIMIT 1`,
      [invitation.butler_id],
    );
    if (!owner) {
      this.logger.error(`No active manager or admin for the recovery of survey response ${responseId}`);
      return null;
    }
    const dueAt = new Date(now.getTime() + RECOVERY_DUE_MS);
    const score = `满意度 ${answers.csat}/5${answers.nps === null ? '' : ` · 推荐意愿 ${answers.nps}/10`}`;
    await em.query(
      `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, note, survey_response_id)
       VALUES ($1, $2, 'recovery', $3, $4, $5, $6) ON CONFLICT (survey_response_id) WHERE survey_response_id IS NOT NULL DO NOTHING`,
      [invitation.customer_id, owner.id, `低分挽回：${invitation.customer_name}`.slice(0, 100), dueAt, `${score}（管家 ${invitation.butler_name}）${answers.comment ? `：${answers.comment}` : ''}`, responseId],
    );
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
          dueAt: dueAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }),
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
