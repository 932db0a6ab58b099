import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import {
  ChannelProvider,
  MailSenderService,
  OutboxService,
  ProviderAdmission,
  ProviderRequest,
  ProviderResult,
} from '@app/mail';
import { SettingsService, smsTemplateOrder } from '@app/settings';

import { AliyunSmsClient } from './aliyun-sms.client';
import { mainlandMobile, marketingSendTime } from './sms-rules';
import { TencentSmsClient } from './tencent-sms.client';

// Greetings are marketing; survey invitations and alerts are service messages.
const MARKETING_PURPOSES = new Set(['greeting']);

// The SMS channel. Before each send it applies the rules carriers and Chinese law put on SMS
// (docs/channels.md): a mainland mobile or nothing, no marketing at night (held until 08:00),
// at most sms.maxPerNumberPerDay a day per number (more are skipped). Then the configured provider
// (SMS_PROVIDER: Aliyun or Tencent Cloud) sends it.
@Injectable()
export class SmsProvider implements ChannelProvider {
  readonly channel = 'sms' as const;

  constructor(
    private readonly aliyun: AliyunSmsClient,
    private readonly tencent: TencentSmsClient,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    sender: MailSenderService,
  ) {
    // SMS_PROVIDER=none: no SMS channel; an SMS message fails as having no provider.
    if (config.sms.SMS_PROVIDER !== 'none') sender.registerProvider(this);
  }

  async admit({ message, to, content }: ProviderRequest, em: EntityManager): Promise<ProviderAdmission> {
    const mobile = mainlandMobile(to);
    if (!mobile) return { skip: 'invalid_address' };
    if (!content.sms) return { skip: 'no_sms_template' };
    const now = this.clock.now();
    if (MARKETING_PURPOSES.has(message.purpose)) {
      const allowed = marketingSendTime(now);
      if (allowed > now) return { holdUntil: allowed, reason: 'sms quiet hours (20:00-08:00 Asia/Shanghai)' };
    }
    const { maxPerNumberPerDay } = (await this.settings.get(em)).sms;
    const sentToday = await this.outbox.sentToday(em, 'sms', mobile);
    if (sentToday >= maxPerNumberPerDay) return { skip: 'sms_daily_cap' };
    return null;
  }

  async send({ message, to, content }: ProviderRequest): Promise<ProviderResult> {
    const mobile = mainlandMobile(to);
    if (!mobile || !content.sms)
      return { accepted: false, failure: { kind: 'permanent', reason: 'not an SMS: no mobile or template' } };
    if (this.config.sms.SMS_PROVIDER === 'tencent') {
      // Tencent takes the variables by position, in the order settings give for this template.
      const { params } = content.sms;
      const order = smsTemplateOrder((await this.settings.get()).sms, content.sms.templateCode) ?? Object.keys(params);
      return this.tencent.sendSms({
        phone: mobile,
        templateId: content.sms.templateCode,
        params: order.map((name) => params[name] ?? ''),
        sessionContext: message.id,
      });
    }
    return this.aliyun.sendSms({
      phone: mobile,
      templateCode: content.sms.templateCode,
      params: content.sms.params,
      outId: message.id,
    });
  }
}
