import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Clock, shanghaiDay } from '@app/common';
import { AppConfig } from '@app/config';
import { chooseChannel, ContactRefusal, ContactRow, isChannel, salutation, sendRefusal } from '@app/customers';
import {
  Channel,
  MailSenderService,
  MessageEntity,
  MessagePurpose,
  OutboxService,
  RenderedMessage,
  renderTemplate,
} from '@app/mail';
import { SettingsService } from '@app/settings';

import { CHANNEL_ADDRESS_FIELD, IntegrityReason, reasonsAtSend } from './integrity';
import { SatisfactionStatsService } from './satisfaction-stats.service';
import { SurveyProgramsRepository } from './survey-programs.repository';
import { hashSurveyToken, newRelationshipToken, newSurveyShortCode, newSurveyToken } from './survey-token';
import { QueuedInvitation, SurveysRepository } from './surveys.repository';

export const SURVEY_PURPOSE = 'survey_invitation' satisfies MessagePurpose;
const BATCH = 500;
const DAY_MS = 86_400_000;
// A relationship invitation's one reminder: its outbox key (the same purpose, rendered here).
export const REMINDER_KEY_PREFIX = 'survey-reminder:';
const EXPIRES_ON = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' });

// A survey message (an invitation, or a relationship invitation's one reminder) recorded in the
// outbox on the channel chosen now, when it is sent: consent and addresses as they are today. Or why
// no channel reaches the client, or that the contact cap holds it back (`capped`, the invitation's
// own reckoning). Due at once: the queue's delay is measured on the real clock.
export async function recordSurveyMessage(
  outbox: OutboxService,
  em: EntityManager,
  key: string,
  invitation: ContactRow & { customer_id: string; capped?: boolean },
  order: readonly Channel[],
): Promise<MessageEntity | { refusal: ContactRefusal }> {
  const choice = chooseChannel(invitation, 'surveys', order);
  if ('refusal' in choice) return choice;
  if (invitation.capped) return { refusal: 'capped' };
  return outbox.record(
    {
      key,
      purpose: SURVEY_PURPOSE,
      channel: choice.channel,
      toAddress: choice.address,
      customerId: invitation.customer_id,
      scheduledAt: new Date(),
    },
    em,
  );
}

// Worker side of surveys. Every tick, invitations whose delay has passed get their email recorded
// in the outbox (one transaction); the mail worker sends it, and only then is a token made: it is
// rendered into the email and its hash stored in the send transaction.
@Injectable()
export class SurveyDispatcher {
  private readonly logger = new Logger('SurveyDispatcher');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SurveysRepository,
    private readonly programs: SurveyProgramsRepository,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly satisfaction: SatisfactionStatsService,
    sender: MailSenderService,
  ) {
    sender.registerRenderer(SURVEY_PURPOSE, (message, em) => this.render(message, em));
  }

  async dispatchDue(): Promise<number> {
    const queued = await this.dataSource.transaction(async (em) => {
      const settings = await this.settings.get(em);
      const due = await this.repository.lockDue(em, this.clock.now(), BATCH, settings.caps.maxMessagesPerDays);
      const messages: MessageEntity[] = [];
      for (const invitation of due) {
        const message = await recordSurveyMessage(
          this.outbox,
          em,
          `survey:${invitation.id}`,
          invitation,
          settings.channels.order,
        );
        if ('refusal' in message) {
          await this.repository.skipInvitation(em, invitation.id, message.refusal);
          continue;
        }
        await this.repository.markQueued(em, invitation.id, message.id);
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
    if (message.key.startsWith(REMINDER_KEY_PREFIX)) return this.renderReminder(message, em);
    const settings = await this.settings.get(em);
    const invitation = await this.repository.lockQueuedByMessage(
      em,
      message.id,
      this.clock.now(),
      settings.caps.maxMessagesPerDays,
    );
    if (!invitation || invitation.status !== 'queued') return { skip: `invitation ${invitation?.status ?? 'missing'}` };
    // Consent or the address on the message's channel may have changed since it was recorded, and
    // the contact cap may have filled meanwhile.
    const reason =
      (isChannel(message.channel)
        ? sendRefusal(invitation, 'surveys', message.channel, message.toAddress)
        : 'address_changed') ?? (invitation.capped ? 'capped' : null);
    const sms = message.channel === 'sms';
    if (reason) {
      await this.repository.skipInvitation(em, invitation.id, reason);
      return { skip: reason };
    }
    const relationship = invitation.survey_kind === 'relationship';
    const expiryDays = relationship ? invitation.program_expiry_days! : settings.surveys.expiryDays;
    // Rating integrity is about a contact with the butler rated: a relationship survey rates the brand.
    const integrityReasons = relationship
      ? []
      : await this.integrityReasons(em, invitation.id, message.channel, settings.surveys);
    let token: string;
    let content: RenderedMessage;
    if (sms) {
      // An SMS carries a short code on the short base URL (the page resolves both kinds of link).
      const template = settings.sms.templates.surveyInvitation;
      if (!template) {
        await this.repository.skipInvitation(em, invitation.id, 'no_sms_template');
        return { skip: 'no_sms_template' };
      }
      token = relationship ? newRelationshipToken(true) : newSurveyShortCode();
      const params = {
        name: salutation(invitation.name, invitation.gender),
        butler: invitation.butler_name,
        link: `${this.config.sms.SURVEY_SHORT_BASE_URL}${token}`,
        code: token,
        days: String(expiryDays),
      };
      const text = template.text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) =>
        name in params ? params[name as keyof typeof params] : '',
      );
      content = { subject: '', text, html: '', sms: { templateCode: template.code, params } };
    } else if (relationship) {
      token = newRelationshipToken(false);
      content = renderTemplate('relationship-survey', {
        salutation: salutation(invitation.name, invitation.gender),
        butlerName: invitation.butler_name,
        programName: invitation.program_name,
        surveyUrl: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/s/${token}`,
        expiryDays,
      });
    } else {
      token = newSurveyToken();
      content = renderTemplate('survey-invitation', {
        salutation: salutation(invitation.name, invitation.gender),
        butlerName: invitation.butler_name,
        contactText: contactText(invitation),
        surveyUrl: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/s/${token}`,
        expiryDays,
      });
    }
    return {
      ...content,
      onSent: async (tx) => {
        const sentAt = this.clock.now();
        // The channel the message went by: the reports count invitations and answers by it.
        await this.repository.markSent(tx, invitation.id, {
          tokenHash: hashSurveyToken(token),
          sentAt,
          expiresAt: new Date(sentAt.getTime() + expiryDays * DAY_MS),
          channel: message.channel,
          integrityReasons,
        });
        // A relationship invitation is about the brand: never in a butler's scorecard.
        if (!relationship)
          await this.repository.addInvitationToStats(tx, invitation.butler_id, shanghaiDay(sentAt), message.channel);
        await this.satisfaction.addInvitation(tx, {
          id: invitation.id,
          sentAt,
          channel: message.channel,
          kind: relationship ? 'relationship' : 'transactional',
        });
      },
    };
  }

  // Rating integrity's reasons known at sending (integrity.ts): the address it goes to, the contact.
  private async integrityReasons(
    em: EntityManager,
    invitationId: string,
    channel: string,
    rules: { addressChangeDays: number; earlyCompletionHours: number },
  ): Promise<IntegrityReason[]> {
    const field = CHANNEL_ADDRESS_FIELD[isChannel(channel) ? channel : 'email'];
    const now = this.clock.now();
    const facts = await this.repository.integrityFacts(em, invitationId, field, now, rules.addressChangeDays);
    if (!facts) return [];
    return reasonsAtSend(
      {
        occurredAt: facts.occurred_at,
        addressChangedAt: facts.address_changed_at,
        dueAt: facts.due_at,
        completedAt: facts.completed_at,
      },
      field,
      rules,
    );
  }

  // A relationship invitation's one reminder: a link of its own (the first keeps working), sent only
  // while the invitation is unanswered and open, by the same consent and contact-cap rules.
  private async renderReminder(message: MessageEntity, em: EntityManager): Promise<RenderedMessage | { skip: string }> {
    const settings = await this.settings.get(em);
    const invitation = await this.programs.lockReminder(
      em,
      message.key.slice(REMINDER_KEY_PREFIX.length),
      message.id,
      this.clock.now(),
      settings.caps.maxMessagesPerDays,
    );
    if (!invitation || invitation.status !== 'sent') return { skip: `invitation ${invitation?.status ?? 'missing'}` };
    if (!invitation.expires_at || invitation.expires_at.getTime() <= this.clock.now().getTime())
      return { skip: 'expired' };
    const reason =
      (isChannel(message.channel)
        ? sendRefusal(invitation, 'surveys', message.channel, message.toAddress)
        : 'address_changed') ?? (invitation.capped ? 'capped' : null);
    if (reason) return { skip: reason };
    const sms = message.channel === 'sms';
    const token = newRelationshipToken(sms);
    let content: RenderedMessage;
    if (sms) {
      const template = settings.sms.templates.surveyInvitation;
      if (!template) return { skip: 'no_sms_template' };
      const days = Math.max(1, Math.ceil((invitation.expires_at.getTime() - this.clock.now().getTime()) / DAY_MS));
      const params = {
        name: salutation(invitation.name, invitation.gender),
        butler: invitation.butler_name,
        link: `${this.config.sms.SURVEY_SHORT_BASE_URL}${token}`,
        code: token,
        days: String(days),
      };
      const text = template.text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) =>
        name in params ? params[name as keyof typeof params] : '',
      );
      content = { subject: '', text, html: '', sms: { templateCode: template.code, params } };
    } else {
      content = renderTemplate('relationship-reminder', {
        salutation: salutation(invitation.name, invitation.gender),
        butlerName: invitation.butler_name,
        programName: invitation.program_name,
        surveyUrl: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/s/${token}`,
        expiresOn: EXPIRES_ON.format(invitation.expires_at),
      });
    }
    return {
      ...content,
      onSent: async (tx) => this.programs.markReminderSent(tx, invitation.id, hashSurveyToken(token)),
    };
  }
}

// "感谢您…": what the client took part in.
function contactText(invitation: QueuedInvitation): string {
  if (invitation.source === 'case') return '对售后处理的耐心配合';
  if (invitation.source === 'follow_up') return '接听我的回访';
  if (invitation.source === 'recovery') return '上次接听我们的回访并给我们改进的机会';
  switch (invitation.kind) {
    case 'visit':
      return '抽空接待我的拜访';
    case 'tasting_event':
      return '参加我们的品鉴活动';
    case 'call':
      return '接听我的电话';
    case 'wechat':
      return '在微信上与我交流';
    case null:
    default:
      return '抽空与我交流';
  }
}
