import { timingSafeEqual } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AppError } from '@app/common';
import { AppConfig } from '@app/config';
import { CustomersService } from '@app/customers';
import { OutboxService } from '@app/mail';

import { isOptOut, mainlandMobile } from './sms-rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// "2026-12-06 10:00:03" in Asia/Shanghai, as Aliyun writes times.
function shanghaiInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function items(body: unknown, field: string): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : [];
  if (!Array.isArray(body) || list.length > 1000 || list.some((i) => typeof i !== 'object' || i === null))
    throw AppError.invalid({
      field,
      code: 'isArray',
      message: `${field} must be a JSON array of at most 1000 objects`,
    });
  return list as Record<string, unknown>[];
}

// The providers' pushes: delivery receipts and uplinks (a client's reply), Aliyun's and Tencent
// Cloud's. Neither provider signs them, so the URLs configured at the provider carry
// SMS_CALLBACK_SECRET (?token=, redacted from the logs); a missing or wrong token is a 401 and
// changes nothing. Unset secret: every callback is refused.
@Injectable()
export class SmsCallbacksService {
  private readonly logger = new Logger('SmsCallbacks');

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly customers: CustomersService,
  ) {}

  verify(token: string | undefined): void {
    const secret = this.config.sms.SMS_CALLBACK_SECRET;
    const given = Buffer.from(typeof token === 'string' ? token : '');
    const expected = Buffer.from(secret ?? '');
    if (!secret || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError('unauthorized', 'SMS callback token missing or wrong', { code: 'SMS_CALLBACK_UNAUTHORIZED' });
  }

  // Each receipt marks our message (its OutId) delivered or undelivered, with the report time.
  async receipts(body: unknown): Promise<{ updated: number }> {
    let updated = 0;
    for (const item of items(body, 'receipts')) {
      const id = typeof item.out_id === 'string' ? item.out_id : '';
      const at = shanghaiInstant(item.report_time);
      if (!UUID.test(id) || !at) continue;
      const delivered = item.success === true;
      const error = delivered ? null : String(item.err_code ?? 'UNKNOWN').slice(0, 100);
      if (await this.outbox.recordDelivery('sms', id, delivered ? 'delivered' : 'undelivered', at, error)) updated++;
    }
    return { updated };
  }

  // "T" / "TD" / "退订" from a client's mobile withdraws their SMS greetings consent (audited).
  async uplinks(body: unknown): Promise<{ withdrawn: number }> {
    return this.optOuts(items(body, 'uplinks').map((item) => ({ phone: item.phone_number, content: item.content })));
  }

  // Tencent Cloud's status callback (短信下发状态通知): each item names the SerialNo SendSms gave
  // (`sid`) and the number; SUCCESS marks the SMS delivered, FAIL undelivered with `errmsg`.
  async tencentReceipts(body: unknown): Promise<{ updated: number }> {
    let updated = 0;
    for (const item of items(body, 'receipts')) {
      const sid = typeof item.sid === 'string' ? item.sid.slice(0, 300) : '';
      const mobile = mainlandMobile(typeof item.mobile === 'string' ? item.mobile : null);
      const at = shanghaiInstant(item.user_receive_time);
      if (!sid || !mobile || !at) continue;
      const delivered = item.report_status === 'SUCCESS';
      const error = delivered ? null : String(item.errmsg ?? 'UNKNOWN').slice(0, 100);
      const status = delivered ? 'delivered' : 'undelivered';
      if (await this.outbox.recordDeliveryByProviderId('sms', mobile, sid, status, at, error)) updated++;
    }
    return { updated };
  }

  // Tencent Cloud's reply callback (短信回复): `text` from `mobile`.
  async tencentUplinks(body: unknown): Promise<{ withdrawn: number }> {
    return this.optOuts(items(body, 'uplinks').map((item) => ({ phone: item.mobile, content: item.text })));
  }

  private async optOuts(replies: { phone: unknown; content: unknown }[]): Promise<{ withdrawn: number }> {
    let withdrawn = 0;
    for (const { phone, content } of replies) {
      const mobile = mainlandMobile(typeof phone === 'string' ? phone : null);
      if (!mobile || typeof content !== 'string' || !isOptOut(content)) continue;
      const customerId = await this.customers.idByMobile(mobile);
      if (!customerId) continue;
      if (await this.customers.withdrawConsent(customerId, 'greetings', 'sms', 'sms_uplink')) withdrawn++;
    }
    if (withdrawn > 0) this.logger.log(`SMS opt-out: ${withdrawn} client(s) withdrew greetings by SMS`);
    return { withdrawn };
  }
}
