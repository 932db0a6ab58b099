import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

import { escapeHtml, htmlPage, Public } from '@app/common';
import { AppConfig, purposeKey } from '@app/config';
import { CustomersService, hasConsent } from '@app/customers';

import { verifyUnsubscribeToken } from './unsubscribe-token';

const notFound = htmlPage(
  '链接无效',
  '<h1>链接无效</h1><p>这个退订链接无效或已损坏。如需帮助，请直接联系您的专属管家。</p>',
);

// The unsubscribe link of every greeting. GET only asks (mail scanners follow links); POST, from
// the page's button or a mail client's one-click (RFC 8058), withdraws greetings consent.
@ApiExcludeController()
@Public()
@Controller('u')
export class UnsubscribeController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomersService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async ask(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const customer = await this.find(token);
    if (!customer) {
      void reply.status(404);
      return notFound;
    }
    const status = hasConsent(customer, 'greetings') ? '' : '<p>您目前已处于退订状态。</p>';
    return htmlPage(
      '退订节日问候',
      `<h1>退订节日与生日问候</h1><p>${escapeHtml(customer.name)}，您好。确认后，我们将不再向您发送节日与生日问候邮件。您的专属管家仍会在售后等必要事项上与您联系。</p>${status}
       <form method="post"><button type="submit">确认退订</button></form>`,
    );
  }

  @Post(':token')
  @HttpCode(200)
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async confirm(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const id = this.customerOf(token);
    // The customers library owns the consent: it stamps it with the app's Clock and audits it.
    if (!id || !(await this.customers.unsubscribeGreetings(id))) {
      void reply.status(404);
      return notFound;
    }
    return htmlPage(
      '已退订',
      '<h1>已为您退订</h1><p>您将不再收到节日与生日问候邮件。若想重新订阅，请告诉您的专属管家。</p>',
    );
  }

  private customerOf(token: string): string | null {
    return verifyUnsubscribeToken(
      purposeKey(this.config.auth.JWT_SECRET, 'unsubscribe'),
      token,
      this.config.auth.JWT_SECRET,
    );
  }

  private async find(token: string): Promise<{ id: string; name: string; consent_greetings: boolean } | null> {
    const id = this.customerOf(token);
    if (!id) return null;
    const [row] = await this.dataSource.query(
      `SELECT id, name, consent_greetings FROM customers WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return row ?? null;
  }
}
