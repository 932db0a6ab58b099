import { Injectable } from '@nestjs/common';

import { AppConfig } from '@app/config';
import type { ProviderResult, SendFailure } from '@app/mail';

import { TC3_CONTENT_TYPE, tc3Authorization } from './tencent-signature';

// What SendSms answers (API 3.0): a status per number, or an error for the whole request.
interface SendSmsAnswer {
  Response?: {
    SendStatusSet?: { SerialNo?: string; PhoneNumber?: string; Code?: string; Message?: string }[];
    Error?: { Code?: string; Message?: string };
    RequestId?: string;
  };
}

// The whole account cannot send (keys, app, balance): every message would fail the same way, so
// it is an outage of the channel until an admin fixes it, not a bad message.
const OUTAGE_CODES = new Set([
  'FailedOperation.InsufficientBalanceInSmsPackage',
  'LimitExceeded.AppDailyLimit',
  'LimitExceeded.AppGlobalDailyLimit',
  'LimitExceeded.AppMainlandChinaDailyLimit',
]);

export function classifyTencentCode(code: string, message: string): SendFailure {
  const reason = `tencent ${code}: ${message}`.slice(0, 300);
  if (OUTAGE_CODES.has(code) || /^(AuthFailure|UnauthorizedOperation)\b/.test(code)) return { kind: 'outage', reason };
  // LimitExceeded.PhoneNumberDailyLimit / OneHourLimit / ThirtySecondLimit / SameContentDailyLimit /
  // DeliveryFrequencyLimit, RequestLimitExceeded, InternalError.*: not now; try again later.
  if (/^(LimitExceeded|RequestLimitExceeded|InternalError)\b/.test(code)) return { kind: 'retry', reason };
  // FailedOperation.TemplateIncorrectOrUnapproved, InvalidParameterValue.IncorrectPhoneNumber,
  // FailedOperation.PhoneNumberInBlacklist, FailedOperation.ContainSensitiveWord, …: this message will
  // never be accepted as it is.
  return { kind: 'permanent', reason };
}

export interface TencentSendSms {
  phone: string;
  templateId: string;
  // The template's variables in their positional order ({1}, {2}, …).
  params: string[];
  // Our message id: echoed in SendStatusSet and the idempotency key a repeat can be matched by.
  sessionContext: string;
}

// Tencent Cloud SMS over its documented API 3.0: a POST of SendSms (version 2021-01-11) signed with
// TC3-HMAC-SHA256. No SDK: one signed JSON request, and the base URL stays a setting.
@Injectable()
export class TencentSmsClient {
  constructor(private readonly config: AppConfig) {}

  async sendSms({ phone, templateId, params, sessionContext }: TencentSendSms): Promise<ProviderResult> {
    const sms = this.config.sms;
    const url = new URL(sms.SMS_TENCENT_BASE_URL);
    const body = JSON.stringify({
      PhoneNumberSet: [`+86${phone}`],
      SmsSdkAppId: sms.SMS_TENCENT_SDK_APP_ID ?? '',
      SignName: sms.SMS_SIGN_NAME ?? '',
      TemplateId: templateId,
      TemplateParamSet: params,
      SessionContext: sessionContext,
    });
    // The provider's clock check (5 minutes), so the machine's time, not the app's Clock.
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = tc3Authorization(
      { host: url.host, service: 'sms', body, timestamp },
      sms.SMS_TENCENT_SECRET_ID ?? '',
      sms.SMS_TENCENT_SECRET_KEY ?? '',
    );
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': TC3_CONTENT_TYPE,
          'x-tc-action': 'SendSms',
          'x-tc-timestamp': String(timestamp),
          'x-tc-version': '2021-01-11',
          'x-tc-region': sms.SMS_TENCENT_REGION,
        },
        body,
        signal: AbortSignal.timeout(sms.SMS_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return { accepted: false, failure: { kind: 'outage', reason: `tencent unreachable: ${cause}` } };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500) {
      return { accepted: false, failure: { kind: 'outage', reason: `tencent HTTP ${response.status}` } };
    }
    let answer: SendSmsAnswer;
    try {
      answer = JSON.parse(text) as SendSmsAnswer;
    } catch {
      return { accepted: false, failure: { kind: 'retry', reason: `tencent HTTP ${response.status}: not JSON` } };
    }
    const error = answer.Response?.Error;
    if (error) return { accepted: false, failure: classifyTencentCode(error.Code ?? 'Error', error.Message ?? '') };
    const status = answer.Response?.SendStatusSet?.[0];
    if (status?.Code === 'Ok' && status.SerialNo) return { accepted: true, providerMessageId: status.SerialNo };
    return {
      accepted: false,
      failure: classifyTencentCode(status?.Code ?? `HTTP ${response.status}`, status?.Message ?? 'no send status'),
    };
  }
}
