import { Injectable } from '@nestjs/common';

import { escapeHtml, htmlPage, PublicPage, PublicPages } from '@app/common';
import { AppConfig, purposeKey } from '@app/config';
import { CustomersService } from '@app/customers';

import { verifyUnsubscribeToken } from './unsubscribe-token';

const NOT_FOUND: PublicPage = {
  status: 404,
  html: htmlPage('链接无效', '<h1>链接无效</h1><p>这个退订链接无效或已损坏。如需帮助，请直接联系您的专属管家。</p>'),
};

const DONE: PublicPage = {
  status: 200,
  html: htmlPage(
    '已退订',
    '<h1>已为您退订</h1><p>您将不再收到节日与生日问候邮件。若想重新订阅，请告诉您的专属管家。</p>',
  ),
};

// The unsubscribe link of every greeting, /u/:token. GET only asks (mail scanners follow links);
// POST, from the page's button or a mail client's one-click (RFC 8058), withdraws greetings
// consent. Registered by apps/api with the other client pages (registerPublicPages), limited per
// IP as the survey page is.
@Injectable()
export class UnsubscribePages implements PublicPages {
  readonly path = '/u/:token';
  readonly perMinute: number;
  readonly errorPages = {
    badRequest: NOT_FOUND.html,
    tooMany: htmlPage('请稍后再试', '<h1>请求过于频繁</h1><p>请稍等一分钟后再试。</p>'),
    failed: htmlPage('暂时无法退订', '<h1>暂时无法退订</h1><p>系统暂时出现问题，请稍后再打开邮件中的链接重试。</p>'),
  };

  constructor(
    private readonly customers: CustomersService,
    private readonly config: AppConfig,
  ) {
    this.perMinute = config.auth.SURVEY_RATE_LIMIT;
  }

  async view(token: string): Promise<PublicPage> {
    const id = this.customerOf(token);
    const customer = id ? await this.customers.greetingsConsentOf(id) : null;
    if (!customer) return NOT_FOUND;
    const status = customer.consentGreetings ? '' : '<p>您目前已处于退订状态。</p>';
    return {
      status: 200,
      html: htmlPage(
        '退订节日问候',
        `<h1>退订节日与生日问候</h1><p>${escapeHtml(customer.name)}，您好。确认后，我们将不再向您发送节日与生日问候邮件。您的专属管家仍会在售后等必要事项上与您联系。</p>${status}
       <form method="post"><button type="submit">确认退订</button></form>`,
      ),
    };
  }

  // The customers library owns the consent: it stamps it with the app's Clock and audits it.
  async submit(token: string): Promise<PublicPage> {
    const id = this.customerOf(token);
    if (!id || !(await this.customers.unsubscribeGreetings(id))) return NOT_FOUND;
    return DONE;
  }

  private customerOf(token: string): string | null {
    return verifyUnsubscribeToken(
      purposeKey(this.config.auth.JWT_SECRET, 'unsubscribe'),
      token,
      this.config.auth.JWT_SECRET,
    );
  }
}
