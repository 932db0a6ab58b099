import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { MailSenderService, MessageEntity, MessagePurpose, RenderedMessage } from '@app/mail';
import { fillSmsText, SettingsService } from '@app/settings';

export const RECOVERY_ALERT_PURPOSE = 'recovery_alert' satisfies MessagePurpose;

// A detractor's alert to a manager who chose SMS: the approved `recoveryAlert` template filled at
// send time (the email alert keeps its built-in template). It is a notification, not marketing:
// no 回T退订 and no night hold, but the per-number daily cap applies (the SMS provider checks it).
@Injectable()
export class RecoveryAlertSms {
  constructor(
    private readonly settings: SettingsService,
    sender: MailSenderService,
  ) {
    sender.registerRenderer(RECOVERY_ALERT_PURPOSE, (message, em) => this.render(message, em));
  }

  private async render(message: MessageEntity, em: EntityManager): Promise<RenderedMessage | { skip: string } | null> {
    if (message.channel !== 'sms') return null;
    const template = (await this.settings.get(em)).sms.templates.recoveryAlert;
    if (!template) return { skip: 'no_sms_template' };
    const context = message.context ?? {};
    const params = {
      client: String(context.customerName ?? ''),
      butler: String(context.butlerName ?? ''),
      score: String(context.score ?? ''),
    };
    const text = fillSmsText(template.text, params);
    return { subject: '', text, html: '', sms: { templateCode: template.code, params } };
  }
}
