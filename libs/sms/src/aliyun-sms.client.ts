import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AppConfig } from '@app/config';
import type { ProviderResult, SendFailure } from '@app/mail';

import { signedQuery } from './aliyun-signature';

// What SendSms answers (JSON): Code "OK" with BizId, or an error code and message.
interface SendSmsAnswer {
  Code?: string;
  Message?: string;
  BizId?: string;
  RequestId?: string;
}

// Codes that mean "not now": the number or the account is rate-limited; try the message later.
const RETRY_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'isp.SYSTEM_ERROR',
  'isp.RAM_PERMISSION_DENY',
]);
// Codes that mean the account itself cannot send (keys, balance, suspension): every message would
// fail the same way, so it is an outage of the channel until an admin fixes it, not a bad message.
const OUTAGE_CODES = new Set([
  'InvalidAccessKeyId.NotFound',
  'SignatureDoesNotMatch',
  'isv.AMOUNT_NOT_ENOUGH',
  'isv.OUT_OF_SERVICE',
  'isv.ACCOUNT_ABNORMAL',
  'isv.ACCOUNT_NOT_EXISTS',
]);

export function classifyAliyunCode(code: string, message: string): SendFailure {
  const reason = `aliyun ${code}: ${message}`.slice(0, 300);
  if (RETRY_CODES.has(code)) return { kind: 'retry', reason };
  if (OUTAGE_CODES.has(code)) return { kind: 'outage', reason };
  // isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL, isv.TEMPLATE_MISSING_PARAMETERS, … :
  // this message will never be accepted as it is.
  return { kind: 'permanent', reason };
}

export interface AliyunSendSms {
  phone: string;
  templateCode: string;
  params: Record<string, string>;
  // Our message id: Aliyun echoes it in delivery receipts (out_id), and it is the idempotency key.
  outId: string;
}

// Aliyun SMS over its documented RPC HTTP API (dysmsapi, version 2017-05-25): a signed GET of
// SendSms. No SDK: the call is one signed URL, and this keeps the base URL a setting.
@Injectable()
export class AliyunSmsClient {
  constructor(private readonly config: AppConfig) {}

  async sendSms({ phone, templateCode, params, outId }: AliyunSendSms): Promise<ProviderResult> {
    const sms = this.config.sms;
    const query = signedQuery(
      {
        AccessKeyId: sms.SMS_ALIYUN_ACCESS_KEY_ID ?? '',
        Action: 'SendSms',
        Format: 'JSON',
        OutId: outId,
        PhoneNumbers: phone,
        RegionId: 'cn-hangzhou',
        SignName: sms.SMS_SIGN_NAME ?? '',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify(params),
        // The provider's clock check, so the machine's time, not the app's Clock.
        Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      },
      sms.SMS_ALIYUN_ACCESS_KEY_SECRET ?? '',
    );
    let response: Response;
    try {
      response = await fetch(`${sms.SMS_ALIYUN_BASE_URL.replace(/\/$/, '')}/?${query}`, {
        signal: AbortSignal.timeout(sms.SMS_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return { accepted: false, failure: { kind: 'outage', reason: `aliyun unreachable: ${cause}` } };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500) {
      return { accepted: false, failure: { kind: 'outage', reason: `aliyun HTTP ${response.status}` } };
    }
    let answer: SendSmsAnswer;
    try {
      answer = JSON.parse(text) as SendSmsAnswer;
    } catch {
      return { accepted: false, failure: { kind: 'retry', reason: `aliyun HTTP ${response.status}: not JSON` } };
    }
    if (answer.Code === 'OK' && answer.BizId) return { accepted: true, providerMessageId: answer.BizId };
    return {
      accepted: false,
      failure: classifyAliyunCode(answer.Code ?? `HTTP ${response.status}`, answer.Message ?? ''),
    };
  }
}
