import type { IncomingMessage, ServerResponse } from 'node:http';

import { rpcSignature } from '../../libs/sms/src/aliyun-signature';
import { FakeSmsServer } from './fake-http-server';

export interface SendSmsRequest {
  params: Record<string, string>;
  phone: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId: string;
  // What the phone shows: 【签名】 and the approved text with its variables filled.
  content: string;
  bizId: string;
}

export type FakeFailure = 'throttle' | 'bad_number' | 'http500' | 'bad_template';

// Aliyun SMS (dysmsapi 2017-05-25) on loopback, as its API reference documents it: a signed GET of
// SendSms, checked with the configured AccessKey; JSON answers with Code / Message / BizId /
// RequestId. Knows the approved templates (code → text) like the real account does, fills them,
// and can fail on demand (`failNext`), be stopped (connection refused) and push receipts and
// uplinks to the app the way Aliyun's HTTP batch push does.
export class FakeAliyunSms extends FakeSmsServer<SendSmsRequest, FakeFailure> {
  readonly rejected: { params: Record<string, string>; code: string }[] = [];
  private bizIds = 0;

  constructor(
    readonly accessKeyId: string,
    readonly accessKeySecret: string,
    readonly signName: string,
  ) {
    super();
  }

  // Aliyun's SmsReport push for a message we accepted (by OutId).
  receiptBody(sent: SendSmsRequest, success: boolean, reportTime = '2026-12-07 08:00:05'): unknown[] {
    return [
      {
        phone_number: sent.phone,
        send_time: '2026-12-07 08:00:00',
        report_time: reportTime,
        success,
        err_code: success ? 'DELIVERED' : 'MK:0001',
        err_msg: success ? '用户接收成功' : '空号',
        sms_size: '1',
        biz_id: sent.bizId,
        out_id: sent.outId,
      },
    ];
  }

  // Aliyun's SmsUp push: the client answered `content` from `phone`.
  uplinkBody(phone: string, content: string): unknown[] {
    return [
      {
        phone_number: phone,
        send_time: '2026-12-07 09:00:00',
        content,
        sign_name: this.signName,
        dest_code: '1234',
        sequence_id: Date.now(),
      },
    ];
  }

  protected handle(req: IncomingMessage, _body: string, res: ServerResponse): void {
    const answer = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify({ RequestId: `FAKE-${Date.now()}`, ...body }));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(url.searchParams.entries());
    const refuse = (status: number, code: string, message: string) => {
      this.rejected.push({ params, code });
      answer(status, { Code: code, Message: message });
    };
    if (req.method !== 'GET' || url.pathname !== '/') return refuse(404, 'InvalidAction.NotFound', 'not found');
    if (params.AccessKeyId !== this.accessKeyId)
      return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const { Signature: signature, ...signed } = params;
    if (
      params.SignatureMethod !== 'HMAC-SHA1' ||
      params.SignatureVersion !== '1.0' ||
      !signature ||
      rpcSignature('GET', signed, this.accessKeySecret) !== signature
    )
      return refuse(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25')
      return refuse(400, 'InvalidAction.NotFound', 'Specified api is not found');
    if (!params.SignatureNonce || !params.Timestamp) return refuse(400, 'MissingParameter', 'nonce or timestamp');
    const failure = this.failures.shift();
    if (failure === 'http500') return refuse(500, 'InternalError', 'The request processing has failed.');
    if (failure === 'throttle') return refuse(200, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控');
    if (params.SignName !== this.signName) return refuse(200, 'isv.SMS_SIGNATURE_ILLEGAL', '签名不合法');
    if (failure === 'bad_number' || !/^1[3-9]\d{9}$/.test(params.PhoneNumbers ?? ''))
      return refuse(200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    const text = this.templates.get(params.TemplateCode ?? '');
    if (failure === 'bad_template' || text === undefined)
      return refuse(200, 'isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let templateParam: Record<string, string>;
    try {
      templateParam = JSON.parse(params.TemplateParam ?? '{}') as Record<string, string>;
    } catch {
      return refuse(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法');
    }
    const missing = [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].find((m) => typeof templateParam[m[1]] !== 'string');
    if (missing) return refuse(200, 'isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量 ${missing[1]}`);
    const bizId = `${900619746936 + ++this.bizIds}^0`;
    const filled = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => templateParam[name]);
    this.received.push({
      params,
      phone: params.PhoneNumbers,
      templateCode: params.TemplateCode,
      templateParam,
      outId: params.OutId ?? '',
      content: `【${params.SignName}】${filled}`,
      bizId,
    });
    answer(200, { Code: 'OK', Message: 'OK', BizId: bizId });
  }
}
