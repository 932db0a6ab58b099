import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Clock, shanghaiDay } from '@app/common';
import { AppConfig } from '@app/config';
import { contactRefusal } from '@app/customers';
import {
  MailSenderService,
  MessageEntity,
  MessagePurpose,
  OutboxService,
  RenderedMessage,
  renderTemplate,
} from '@app/mail';
import { SettingsService } from '@app/settings';

import { addInvitationToStats } from './butler-stats';
import { hashSurveyToken, newSurveyToken } from './survey-token';

export const SURVEY_PURPOSE = 'survey_invitation' satisfies MessagePurpose;
const BATCH = 500;
const DAY_MS = 86_400_000;

interface DueInvitation {
  id: string;
  customer_id: string;
  email: string | null;
  consent_surveys: boolean;
  deleted_at: Date | null;
}

// Worker side of surveys. Every tick, invitations whose delay has passed get their email recorded
// in the outbox (one transaction); the mail worker sends it, and only then is a token made: it is
// rendered into the email and its hash stored in the send transaction.
@Injectable()
export class SurveyDispatcher {
  private readonly logger = new Logger('SurveyDispatcher');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    sender: MailSenderService,
  ) {
    sender.registerRenderer(SURVEY_PURPOSE, (message, em) => this.render(message, em));
  }

  async dispatchDue(): Promise<number> {
    const queued = await this.dataSource.transaction(async (em) => {
      const due: DueInvitation[] = await em.query(
        `SELECT i.id, i.customer_id, c.email, c.consent_surveys, c.deleted_at
           FROM survey_invitations i JOIN customers c ON c.id = i.customer_id
          WHERE i.status = 'scheduled' AND i.send_at <= $1
          ORDER BY i.send_at LIMIT $2 FOR UPDATE OF i SKIP LOCKED`,
        [this.clock.now(), BATCH],
      );
      const messages: MessageEntity[] = [];
      for (const invitation of due) {
        const reason = skipReason(invitation);
        if (reason) {
          await em.query(`UPDATE survey_invitations SET status = 'skipped', skip_reason = $2 WHERE id = $1`, [
            invitation.id,
            reason,
          ]);
          continue;
        }
        // Due now: the queue's delay is measured on the real clock.
        const message = await this.outbox.record(
          {
            key: `survey:${invitation.id}`,
            purpose: SURVEY_PURPOSE,
            toAddress: invitation.email,
            customerId: invitation.customer_id,
            scheduledAt: new Date(),
          },
          em,
        );
        await em.query(`UPDATE survey_invitations SET status = 'queued', message_id = $2 WHERE id = $1`, [
          invitation.id,
          message.id,
        ]);
        messages.push(message);
      }
      return messages;
    });
    // Not queued now (Redis down) means queued by the outbox reconciler later.
    if (queued.length > 0) {
      await this.outbox.enqueue(queued);
      this.logger.log(`Queued ${queued.length} survey invitation(s)`);
    }
    return queued.length;
  }

  // Runs in the mail sender's transaction with the message row locked.
  private async render(message: MessageEntity, em: EntityManager): Promise<RenderedMessage | { skip: string }> {
    const [invitation]: (DueInvitation & {
      status: string;
      butler_id: string;
      source: string;
      name: string;
      butler_name: string;
    })[] = await em.query(
      `SELECT i.id, i.status, i.butler_id, i.source, i.customer_id, c.name, c.email, c.consent_surveys, c.deleted_at,
              u.name AS butler_name
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
        WHERE i.message_id = $1 FOR UPDATE OF i`,
      [message.id],
    );
    if (!invitation || invitation.status !== 'queued') return { skip: `invitation ${invitation?.status ?? 'missing'}` };
    // Consent or the address may have changed since the contact.
    const reason = skipReason(invitation) ?? (invitation.email !== message.toAddress ? 'email_changed' : null);
    if (reason) {
      await em.query(`UPDATE survey_invitations SET status = 'skipped', skip_reason = $2 WHERE id = $1`, [
        invitation.id,
        reason,
      ]);
      return { skip: reason };
    }
    const { expiryDays } = (await this.settings.get(em)).surveys;
    const token = newSurveyToken();
    const content = renderTemplate('survey-invitation', {
      customerName: invitation.name,
      butlerName: invitation.butler_name,
      contactText: invitation.source === 'case' ? '对售后处理的耐心配合' : '接听我的回访',
      surveyUrl: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/s/${token}`,
      expiryDays,
    });
    return {
      ...content,
      onSent: async (tx) => {
        const sentAt = this.clock.now();
        await tx.query(
          `UPDATE survey_invitations SET status = 'sent', token_hash = $2, sent_at = $3, expires_at = $4 WHERE id = $1`,
          [invitation.id, hashSurveyToken(token), sentAt, new Date(sentAt.getTime() + expiryDays * DAY_MS)],
        );
        await addInvitationToStats(tx, invitation.butler_id, shanghaiDay(sentAt));
      },
    };
  }
}

// Consent to contact (@app/customers) for a survey.
function skipReason(invitation: DueInvitation): string | null {
  return contactRefusal(invitation, 'surveys');
}
