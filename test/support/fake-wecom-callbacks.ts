import { randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { CallbackKeys, callbackSignature, encryptCallback } from '../../libs/wecom/src/callback-crypto';

export type ExternalContactChange =
  'add_external_contact' | 'edit_external_contact' | 'del_external_contact' | 'del_follow_user' | 'transfer_fail';

export interface ExternalContactEvent {
  changeType: ExternalContactChange;
  // the butler's WeCom userid and the client's external userid
  userId: string;
  externalUserId: string;
  state?: string;
  welcomeCode?: string;
  // del_external_contact: DELETE_BY_TRANSFER when WeCom removed it during a hand-over
  source?: string;
  // transfer_fail: customer_refused | customer_limit_exceed
  failReason?: string;
}

export interface SendOptions {
  // seconds since the epoch, as WeCom puts it in the query (default: the clock given to the sender)
  timestamp?: number;
  nonce?: string;
  // what a forger or a broken proxy would do
  tamper?: 'signature' | 'body' | 'corp';
}

export interface CallbackAnswer {
  status: number;
  body: string;
  query: string;
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

// WeCom's callback sender, as its 回调配置 and 加解密方案 documents describe it: the event XML is
// encrypted (AES-256-CBC, 16 random bytes + length + message + corpid), wrapped in
// <xml><ToUserName/><AgentID/><Encrypt/></xml> and posted with msg_signature, timestamp and nonce in
// the query; the URL check is a GET with an encrypted echostr whose plaintext must come back.
export class FakeWecomCallbacks {
  readonly path = '/api/v1/wecom/callback';

  constructor(
    readonly keys: CallbackKeys,
    // the sender's clock: WeCom stamps messages with its own time, tests set it to the app's Clock
    private readonly now: () => Date,
    readonly agentId = '1000002',
  ) {}

  eventXml(event: ExternalContactEvent, createTime = this.seconds()): string {
    const fields: [string, string | undefined][] = [
      ['UserID', event.userId],
      ['ExternalUserID', event.externalUserId],
      ['State', event.state],
      ['WelcomeCode', event.welcomeCode],
      ['Source', event.source],
      ['FailReason', event.failReason],
    ];
    return [
      '<xml>',
      `<ToUserName>${cdata(this.keys.receiveId)}</ToUserName>`,
      `<FromUserName>${cdata('sys')}</FromUserName>`,
      `<CreateTime>${createTime}</CreateTime>`,
      `<MsgType>${cdata('event')}</MsgType>`,
      `<Event>${cdata('change_external_contact')}</Event>`,
      `<ChangeType>${cdata(event.changeType)}</ChangeType>`,
      ...fields.filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${cdata(v as string)}</${k}>`),
      '</xml>',
    ].join('\n');
  }

  // The URL verification WeCom runs when an admin saves the callback URL.
  async verifyUrl(
    app: NestFastifyApplication,
    echo = randomBytes(8).readBigUInt64BE().toString(),
    options: SendOptions = {},
  ): Promise<CallbackAnswer & { echo: string }> {
    const { query, encrypt } = this.sign(echo, options);
    const res = await app.inject({
      method: 'GET',
      url: `${this.path}?${query}&echostr=${encodeURIComponent(encrypt)}`,
    });
    return { status: res.statusCode, body: res.body, query, echo };
  }

  async send(
    app: NestFastifyApplication,
    event: ExternalContactEvent,
    options: SendOptions = {},
  ): Promise<CallbackAnswer> {
    return this.post(app, this.eventXml(event, options.timestamp), options);
  }

  // Posts any plaintext message (or a raw body, to test refusals).
  async post(app: NestFastifyApplication, plain: string, options: SendOptions = {}): Promise<CallbackAnswer> {
    const { query, encrypt } = this.sign(plain, options);
    return this.postRaw(app, query, this.envelope(encrypt));
  }

  async postRaw(app: NestFastifyApplication, query: string, body: string): Promise<CallbackAnswer> {
    const res = await app.inject({
      method: 'POST',
      url: `${this.path}?${query}`,
      headers: { 'content-type': 'text/xml' },
      payload: body,
    });
    return { status: res.statusCode, body: res.body, query };
  }

  envelope(encrypt: string): string {
    const to = `<ToUserName>${cdata(this.keys.receiveId)}</ToUserName>`;
    return `<xml>${to}<AgentID>${cdata(this.agentId)}</AgentID><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  }

  sign(plain: string, options: SendOptions = {}): { query: string; encrypt: string } {
    const timestamp = String(options.timestamp ?? this.seconds());
    const nonce = options.nonce ?? randomBytes(6).toString('hex');
    const receiveId = options.tamper === 'corp' ? 'wwSomeOtherCorp' : this.keys.receiveId;
    let encrypt = encryptCallback(plain, { encodingAesKey: this.keys.encodingAesKey, receiveId });
    let signature = callbackSignature(this.keys.token, timestamp, nonce, encrypt);
    if (options.tamper === 'signature') signature = signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    if (options.tamper === 'body') {
      // a flipped byte in the last block (the padding): signed over the bytes sent, as a forger
      // holding the token could, so only decryption can refuse it
      const data = Buffer.from(encrypt, 'base64');
      data.writeUInt8(data[data.length - 1] ^ 0x5a, data.length - 1);
      encrypt = data.toString('base64');
      signature = callbackSignature(this.keys.token, timestamp, nonce, encrypt);
    }
    const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
    return { query, encrypt };
  }

  private seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
