import type { IncomingMessage, ServerResponse } from 'node:http';

import { parseTc3Authorization, tc3Date, tc3Signature } from '../../libs/sms/src/tencent-signature';
import { FakeSmsServer } from './fake-http-server';

export interface TencentSendSmsRequest {
  body: Record<string, unknown>;
  phone: string;
  templateId: string;
  params: string[];
  sessionContext: string;
  // What the phone shows: 【签名】 and the approved text with {1}, {2}, … filled.
  content: string;
  serialNo: string;
}

// Failures on demand, each answered as Tencent documents it.
export type FakeTencentFailure =
  | 'daily_limit' // LimitExceeded.PhoneNumberDailyLimit (per number)
  | 'bad_number' // InvalidParameterValue.IncorrectPhoneNumber (per number)
  | 'bad_template' // FailedOperation.TemplateIncorrectOrUnapproved (per number)
  | 'no_balance' // FailedOperation.InsufficientBalanceInSmsPackage (per number)
  | 'internal' // InternalError.Timeout (the whole request)
  | 'http502';

// Tencent Cloud SMS (API 3.0, SendSms 2021-01-11) on loopback, as its documentation describes it:
// a POST of JSON signed with TC3-HMAC-SHA256, checked with the configured SecretKey (a wrong one is
// AuthFailure.SignatureFailure); the answer is { Response: { SendStatusSet, RequestId } } or
// { Response: { Error: { Code, Message }, RequestId } }. Knows the approved templates (id → text
// with {1}, {2}, …), fills them by position, fails on demand, and posts status and reply callbacks.
export class FakeTencentSms extends FakeSmsServer<TencentSendSmsRequest, FakeTencentFailure> {
  readonly rejected: { code: string }[] = [];
  private serials = 0;

  constructor(
    readonly secretId: string,
    readonly secretKey: string,
    readonly sdkAppId: string,
    readonly signName: string,
  ) {
    super();
  }

  // The status callback (短信下发状态通知) for an SMS it accepted.
  receiptBody(sent: TencentSendSmsRequest, success: boolean, at = '2026-12-07 08:00:05'): unknown[] {
    return [
      {
        user_receive_time: at,
        nationcode: '86',
        mobile: sent.phone,
        report_status: success ? 'SUCCESS' : 'FAIL',
        errmsg: success ? 'DELIVRD' : 'MK:0001',
        description: success ? '用户短信送达成功' : '空号',
        sid: sent.serialNo,
      },
    ];
  }

  // The reply callback (短信回复): the client answered `text` from `phone`.
  uplinkBody(phone: string, text: string): unknown[] {
    return [{ extend: '', mobile: phone, nationcode: '86', sign: this.signName, text, time: 1796000000 }];
  }

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const requestId = `fake-${Date.now()}-${this.serials}`;
    const answer = (status: number, response: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { ...response, RequestId: requestId } }));
    };
    const refuse = (code: string, message: string) => {
      this.rejected.push({ code });
      answer(200, { Error: { Code: code, Message: message } });
    };
    const header = (name: string): string => String(req.headers[name] ?? '');
    if (req.method !== 'POST' || (req.url ?? '/') !== '/') return refuse('InvalidAction', 'not found');
    const auth = parseTc3Authorization(header('authorization'));
    if (!auth) return refuse('AuthFailure.InvalidAuthorization', 'Authorization is invalid');
    if (auth.secretId !== this.secretId) return refuse('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    const timestamp = Number(header('x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(timestamp - Date.now() / 1000) > 300)
      return refuse('AuthFailure.SignatureExpire', 'Signature expired');
    if (
      auth.service !== 'sms' ||
      auth.signedHeaders !== 'content-type;host' ||
      auth.date !== tc3Date(timestamp) ||
      header('content-type') !== 'application/json; charset=utf-8' ||
      tc3Signature({ host: header('host'), service: 'sms', body: raw, timestamp }, this.secretKey) !== auth.signature
    )
      return refuse('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    if (header('x-tc-action') !== 'SendSms' || header('x-tc-version') !== '2021-01-11')
      return refuse('InvalidAction', 'The action or version is not supported');
    if (!['ap-guangzhou', 'ap-beijing', 'ap-nanjing'].includes(header('x-tc-region')))
      return refuse('UnsupportedRegion', 'The region is not supported');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return refuse('InvalidParameter', 'The body is not JSON');
    }
    const failure = this.failures.shift();
    if (failure === 'http502') {
      res.writeHead(502);
      res.end('Bad Gateway');
      return;
    }
    if (failure === 'internal') return refuse('InternalError.Timeout', 'Request timed out');
    if (body.SmsSdkAppId !== this.sdkAppId)
      return refuse('UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verification failed');
    if (body.SignName !== this.signName)
      return refuse('FailedOperation.SignatureIncorrectOrUnapproved', 'The signature is incorrect or unapproved');
    const numbers = Array.isArray(body.PhoneNumberSet) ? (body.PhoneNumberSet as unknown[]) : [];
    if (numbers.length !== 1 || typeof numbers[0] !== 'string')
      return refuse('InvalidParameterValue.IncorrectPhoneNumber', 'PhoneNumberSet must hold one number here');
    const number = numbers[0];
    const params = Array.isArray(body.TemplateParamSet) ? (body.TemplateParamSet as unknown[]).map(String) : [];
    const status = (code: string, message: string, serialNo = '') =>
      answer(200, {
        SendStatusSet: [
          {
            SerialNo: serialNo,
            PhoneNumber: number,
            Fee: code === 'Ok' ? 1 : 0,
            SessionContext: body.SessionContext ?? '',
            Code: code,
            Message: message,
            IsoCode: 'CN',
          },
        ],
      });
    const perNumber = (code: string, message: string) => {
      this.rejected.push({ code });
      status(code, message);
    };
    if (failure === 'daily_limit')
      return perNumber('LimitExceeded.PhoneNumberDailyLimit', 'The daily limit of the phone number is exceeded');
    if (failure === 'no_balance')
      return perNumber('FailedOperation.InsufficientBalanceInSmsPackage', 'The SMS package balance is insufficient');
    if (failure === 'bad_number' || !/^\+861[3-9]\d{9}$/.test(number))
      return perNumber('InvalidParameterValue.IncorrectPhoneNumber', 'The phone number is incorrect');
    const text = this.templates.get(String(body.TemplateId ?? ''));
    if (failure === 'bad_template' || text === undefined)
      return perNumber('FailedOperation.TemplateIncorrectOrUnapproved', 'The template is incorrect or unapproved');
    const wanted = Math.max(0, ...[...text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])));
    if (params.length !== wanted)
      return perNumber('InvalidParameterValue.TemplateParameterFormatError', 'The template parameters do not match');
    const serialNo = `2640:${1045710669157053657n + BigInt(++this.serials)}`;
    const filled = text.replace(/\{(\d+)\}/g, (_, n: string) => params[Number(n) - 1]);
    this.received.push({
      body,
      phone: number.replace(/^\+86/, ''),
      templateId: String(body.TemplateId),
      params,
      sessionContext: String(body.SessionContext ?? ''),
      content: `【${String(body.SignName)}】${filled}`,
      serialNo,
    });
    status('Ok', 'send success', serialNo);
  }
}
