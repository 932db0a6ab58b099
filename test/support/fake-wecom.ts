import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { FakeHttpServer } from './fake-http-server';

// WeCom's server API (qyapi.weixin.qq.com) on loopback, as its reference documents it: JSON over
// HTTP, `access_token` in the query, `errcode`/`errmsg` in every answer (0 / "ok" on success).
// Tests start it, point WECOM_BASE_URL at `url`, and read or change its state directly.
//
// What it answers:
// - GET  /cgi-bin/gettoken?corpid&corpsecret: checks both (40013 invalid corpid, 40001 invalid
//   credential); the secret names the app: `contactSecret` (客户联系) or `agentSecret` (自建应用).
//   Tokens live `tokenLifeS` (7200) seconds; `expireTokens()` makes every issued one answer 42001.
// - Every other route checks its token: missing 41001, unknown 40014, expired 42001; an
//   externalcontact route called with the agent app's token 48002 (api forbidden), a JS-SDK /
//   OAuth route with the contact app's token 48002 too.
// - GET  /cgi-bin/externalcontact/list?userid: the member's external contacts (60111 unknown userid).
// - GET  /cgi-bin/externalcontact/get?external_userid: the contact and its follow_user list with
//   each member's remark, description, remark_mobiles (84061 when no member has this contact).
// - POST /cgi-bin/externalcontact/batch/get_by_user { userid_list, cursor, limit ≤ 100 }.
// - POST /cgi-bin/externalcontact/add_msg_template { chat_type: single, external_userid[], sender,
//   text.content }: a 群发 task for `sender` to confirm; answers msgid and fail_list (targets that
//   are not the sender's contacts). `confirm(msgid)` is the butler pressing 发送 in the app.
// - POST /cgi-bin/externalcontact/get_groupmsg_task { msgid } → task_list [{ userid, status 0|2, send_time }].
// - POST /cgi-bin/externalcontact/get_groupmsg_send_result { msgid, userid, limit, cursor } →
//   send_list [{ external_userid, userid, status, send_time }]: 0 未发送, 1 已发送, 2 not a friend
//   (客户不是好友), 3 over the month's limit (客户已经收到其他群发消息). WeCom's limit: a client receives
//   at most 4 企业群发 per calendar month; a confirmed task over it gives that client status 3.
// - POST /cgi-bin/externalcontact/remind_groupmsg_send { msgid }: recorded in `reminders`.
// - POST /cgi-bin/externalcontact/cancel_groupmsg_send { msgid }.
// - POST /cgi-bin/externalcontact/transfer_customer { handover_userid, takeover_userid,
//   external_userid[], transfer_success_msg } → customer [{ external_userid, errcode }]: 0 starts
//   the transfer (taken over after 24 h: `completeTransfers()`), 40129 already being transferred,
//   84061 not the handover member's contact, TRANSFER_LIMIT_ERRCODE past two transfers in 90 days.
// - POST /cgi-bin/externalcontact/transfer_result { handover_userid, takeover_userid, cursor } →
//   customer [{ external_userid, status, takeover_time }]: 1 接替完毕, 2 等待接替, 3 客户拒绝,
//   4 接替成员客户达到上限, 5 无接替记录.
// - POST /cgi-bin/externalcontact/resigned/transfer_customer and resigned/transfer_result: the same
//   for a member who left (离职继承).
// - GET  /cgi-bin/get_jsapi_ticket and /cgi-bin/ticket/get?type=agent_config (agent app): tickets
//   for the JS-SDK's config and agentConfig signatures (`jsapiTicket`, `agentTicket`).
// - GET  /cgi-bin/auth/getuserinfo?code (agent app): an OAuth code issued by `oauthCode(userid)` →
//   { userid }; unknown or used code 40029.
//
// `failNext(path, …)` makes the next call of a path fail (an errcode, HTTP 500, or a hang past the
// client's timeout); `failAlways(path, …)` until `clearFailures()`. `stop()` refuses connections.
// Every request is recorded in `requests` (the access token replaced by the app it belongs to).

export type FakeApp = 'contact' | 'agent';

export interface FakeFollower {
  userid: string;
  remark?: string;
  description?: string;
  remarkMobiles?: string[];
  createtime?: number;
  addWay?: number;
  state?: string;
}

export interface FakeContact {
  externalUserId: string;
  name: string;
  type?: 1 | 2;
  gender?: 0 | 1 | 2;
  unionid?: string;
  followers: FakeFollower[];
}

// 0 未发送, 1 已发送, 2 not a friend, 3 over the monthly limit.
export type SendStatus = 0 | 1 | 2 | 3;

export interface FakeGroupTask {
  msgid: string;
  sender: string;
  externalUserIds: string[];
  failList: string[];
  text: string;
  createdAt: number;
  // task_list status: 0 not sent yet, 2 sent (confirmed by the member); cancelled by the corp.
  status: 0 | 2;
  cancelled: boolean;
  sendTime: number;
  results: Map<string, SendStatus>;
}

export interface FakeTransfer {
  kind: 'onjob' | 'resigned';
  handover: string;
  takeover: string;
  externalUserId: string;
  status: 1 | 2 | 3 | 4 | 5;
  startedAt: number;
  takeoverTime: number;
  message?: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  app: FakeApp | null;
  at: number;
}

export type FakeWecomFailure = { errcode: number; errmsg: string } | 'http500' | 'hang';

// WeCom's 客户转接过于频繁（90天内只允许转接一次，同一个客户最多只能转接两次）.
export const TRANSFER_LIMIT_ERRCODE = 40128;
const MONTHLY_LIMIT = 4;

export class FakeWecom extends FakeHttpServer {
  corpId = 'wwfake0123456789ab';
  contactSecret = 'fake-contact-secret-0123456789abcdefghijklmn';
  agentSecret = 'fake-agent-secret-0123456789abcdefghijklmnop';
  agentId = 1000002;
  tokenLifeS = 7200;
  jsapiTicket = 'fake-jsapi-ticket';
  agentTicket = 'fake-agent-ticket';
  // The fake's clock (ms): send times, the month a send counts in (Asia/Shanghai), transfer windows.
  now: () => number = () => Date.now();

  readonly requests: FakeRequest[] = [];
  readonly tokens = new Map<string, { app: FakeApp; expiresAt: number }>();
  readonly contacts = new Map<string, FakeContact>();
  readonly members = new Set<string>();
  readonly tasks = new Map<string, FakeGroupTask>();
  readonly reminders: { msgid: string; at: number }[] = [];
  readonly transfers: FakeTransfer[] = [];
  // Messages each client received, by Shanghai month (YYYY-MM), as WeCom counts its limit.
  readonly received = new Map<string, Map<string, number>>();
  private readonly codes = new Map<string, string>();
  private readonly once = new Map<string, FakeWecomFailure[]>();
  private readonly always = new Map<string, FakeWecomFailure>();
  private ids = 0;

  // The settings an admin enters for this corp (PATCH /settings { wecom }).
  settings(): Record<string, unknown> {
    return {
      corpId: this.corpId,
      agentId: this.agentId,
      contactSecret: this.contactSecret,
      agentSecret: this.agentSecret,
      enabled: true,
    };
  }

  // --- state the tests set up ---

  addMember(...userids: string[]): void {
    for (const userid of userids) this.members.add(userid);
  }

  addContact(contact: FakeContact): FakeContact {
    for (const f of contact.followers) this.members.add(f.userid);
    this.contacts.set(contact.externalUserId, contact);
    return contact;
  }

  newExternalUserId(): string {
    return `wm${randomBytes(15).toString('base64url').slice(0, 20)}${String(++this.ids).padStart(4, '0')}`;
  }

  failNext(path: string, ...failures: FakeWecomFailure[]): void {
    this.once.set(path, [...(this.once.get(path) ?? []), ...failures]);
  }

  failAlways(path: string, failure: FakeWecomFailure): void {
    this.always.set(path, failure);
  }

  clearFailures(): void {
    this.once.clear();
    this.always.clear();
  }

  // Every token issued so far answers 42001 (access_token expired) from now on.
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  calls(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  // --- what members and WeCom do ---

  // The member presses 发送 in the WeCom app: each target gets the message, unless it is not the
  // sender's contact (2) or already received this month's limit (3); `outcome` overrides per client.
  confirm(msgid: string, outcome: Record<string, SendStatus> = {}): FakeGroupTask {
    const task = this.tasks.get(msgid);
    if (!task) throw new Error(`no task ${msgid}`);
    if (task.status === 2) return task;
    task.status = 2;
    task.sendTime = Math.floor(this.now() / 1000);
    for (const id of task.externalUserIds) {
      let status: SendStatus = outcome[id] ?? 1;
      if (status === 1 && !this.follows(id, task.sender)) status = 2;
      if (status === 1 && this.receivedThisMonth(id) >= MONTHLY_LIMIT) status = 3;
      if (status === 1) this.count(id);
      task.results.set(id, status);
    }
    return task;
  }

  // The tasks created for a sender (newest last).
  tasksOf(sender: string): FakeGroupTask[] {
    return [...this.tasks.values()].filter((t) => t.sender === sender);
  }

  // How many 群发 messages a client received in the fake's current month.
  receivedThisMonth(externalUserId: string): number {
    return this.received.get(externalUserId)?.get(this.month()) ?? 0;
  }

  // How many tasks created in the fake's current month target a client (what WeCom would refuse
  // to deliver past 4).
  targetedThisMonth(externalUserId: string): number {
    const month = this.month();
    return [...this.tasks.values()].filter(
      (t) => !t.cancelled && t.externalUserIds.includes(externalUserId) && this.month(t.createdAt) === month,
    ).length;
  }

  // Transfers waiting their 24 h are taken over (status 1), or given `status`.
  completeTransfers(status: 1 | 3 | 4 = 1): void {
    for (const t of this.transfers) {
      if (t.status !== 2) continue;
      t.status = status;
      t.takeoverTime = status === 1 ? Math.floor(this.now() / 1000) : 0;
      if (status === 1) {
        const contact = this.contacts.get(t.externalUserId);
        const follower = contact?.followers.find((f) => f.userid === t.handover);
        if (contact && follower) {
          contact.followers = contact.followers.filter((f) => f.userid !== t.handover);
          contact.followers.push({ ...follower, userid: t.takeover });
        }
      }
    }
  }

  // An OAuth code (网页授权) that /cgi-bin/auth/getuserinfo turns into `userid`, once.
  oauthCode(userid: string): string {
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, userid);
    return code;
  }

  // --- the HTTP side ---

  private month(at = this.now()): string {
    return new Date(at + 8 * 3_600_000).toISOString().slice(0, 7);
  }

  private count(externalUserId: string): void {
    const months = this.received.get(externalUserId) ?? new Map<string, number>();
    months.set(this.month(), (months.get(this.month()) ?? 0) + 1);
    this.received.set(externalUserId, months);
  }

  private follows(externalUserId: string, userid: string): boolean {
    return this.contacts.get(externalUserId)?.followers.some((f) => f.userid === userid) ?? false;
  }

  protected async handle(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.answer(res, { errcode: 47001, errmsg: 'data format error' });
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname;
    const token = query.access_token;
    const app = token ? (this.tokens.get(token)?.app ?? null) : null;
    delete query.access_token;
    if (path === '/cgi-bin/gettoken') delete query.corpsecret;
    this.requests.push({ method: req.method ?? 'GET', path, query, body, app, at: this.now() });

    const failure = this.once.get(path)?.shift() ?? this.always.get(path);
    if (failure === 'http500') {
      res.writeHead(500).end('internal error');
      return;
    }
    if (failure === 'hang') return; // never answers: the client's timeout decides
    if (failure) return this.answer(res, failure);

    if (path === '/cgi-bin/gettoken') return this.answer(res, this.gettoken(url.searchParams));
    if (!token) return this.answer(res, { errcode: 41001, errmsg: 'access_token missing' });
    const issued = this.tokens.get(token);
    if (!issued) return this.answer(res, { errcode: 40014, errmsg: 'invalid access_token' });
    if (issued.expiresAt <= Date.now()) return this.answer(res, { errcode: 42001, errmsg: 'access_token expired' });
    const needs: FakeApp = path.startsWith('/cgi-bin/externalcontact/') ? 'contact' : 'agent';
    if (issued.app !== needs) return this.answer(res, { errcode: 48002, errmsg: 'api forbidden' });
    const b = (body ?? {}) as Record<string, unknown>;
    const routes: Record<string, () => unknown> = {
      '/cgi-bin/externalcontact/list': () => this.list(query.userid),
      '/cgi-bin/externalcontact/get': () => this.getContact(query.external_userid),
      '/cgi-bin/externalcontact/batch/get_by_user': () => this.batchGetByUser(b),
      '/cgi-bin/externalcontact/add_msg_template': () => this.addMsgTemplate(b),
      '/cgi-bin/externalcontact/get_groupmsg_task': () => this.groupMsgTask(b),
      '/cgi-bin/externalcontact/get_groupmsg_send_result': () => this.groupMsgSendResult(b),
      '/cgi-bin/externalcontact/remind_groupmsg_send': () => this.remind(b),
      '/cgi-bin/externalcontact/cancel_groupmsg_send': () => this.cancel(b),
      '/cgi-bin/externalcontact/transfer_customer': () => this.transfer('onjob', b),
      '/cgi-bin/externalcontact/transfer_result': () => this.transferResult('onjob', b),
      '/cgi-bin/externalcontact/resigned/transfer_customer': () => this.transfer('resigned', b),
      '/cgi-bin/externalcontact/resigned/transfer_result': () => this.transferResult('resigned', b),
      '/cgi-bin/get_jsapi_ticket': () => ({ ticket: this.jsapiTicket, expires_in: 7200 }),
      '/cgi-bin/ticket/get': () =>
        query.type === 'agent_config'
          ? { ticket: this.agentTicket, expires_in: 7200 }
          : { errcode: 40004, errmsg: 'invalid type' },
      '/cgi-bin/auth/getuserinfo': () => this.userInfo(query.code),
    };
    const route = routes[path];
    if (!route) return this.answer(res, { errcode: 404, errmsg: `no such api ${path}` }, 404);
    return this.answer(res, route() as Record<string, unknown>);
  }

  private answer(res: ServerResponse, body: Record<string, unknown>, status = 200): void {
    const full: Record<string, unknown> = { errcode: 0, errmsg: 'ok' };
    Object.assign(full, body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(full));
  }

  private gettoken(params: URLSearchParams): Record<string, unknown> {
    if (params.get('corpid') !== this.corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
    const secret = params.get('corpsecret');
    const app: FakeApp | null =
      secret === this.contactSecret ? 'contact' : secret === this.agentSecret ? 'agent' : null;
    if (!app) return { errcode: 40001, errmsg: 'invalid credential' };
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, { app, expiresAt: Date.now() + this.tokenLifeS * 1000 });
    return { access_token: token, expires_in: this.tokenLifeS };
  }

  private contactsOf(userid: string): FakeContact[] {
    return [...this.contacts.values()].filter((c) => c.followers.some((f) => f.userid === userid));
  }

  private list(userid: string | undefined): Record<string, unknown> {
    if (!userid || !this.members.has(userid)) return { errcode: 60111, errmsg: 'invalid userid' };
    return { external_userid: this.contactsOf(userid).map((c) => c.externalUserId) };
  }

  private contactJson(c: FakeContact): Record<string, unknown> {
    return {
      external_userid: c.externalUserId,
      name: c.name,
      type: c.type ?? 1,
      gender: c.gender ?? 0,
      ...(c.unionid ? { unionid: c.unionid } : {}),
    };
  }

  private followJson(f: FakeFollower): Record<string, unknown> {
    return {
      userid: f.userid,
      remark: f.remark ?? '',
      description: f.description ?? '',
      createtime: f.createtime ?? 1_700_000_000,
      remark_mobiles: f.remarkMobiles ?? [],
      add_way: f.addWay ?? 1,
      ...(f.state ? { state: f.state } : {}),
    };
  }

  private getContact(externalUserId: string | undefined): Record<string, unknown> {
    const contact = externalUserId ? this.contacts.get(externalUserId) : undefined;
    if (!contact || contact.followers.length === 0) return { errcode: 84061, errmsg: 'not external contact' };
    return {
      external_contact: this.contactJson(contact),
      follow_user: contact.followers.map((f) => this.followJson(f)),
    };
  }

  private batchGetByUser(b: Record<string, unknown>): Record<string, unknown> {
    const userids = Array.isArray(b.userid_list) ? (b.userid_list as string[]) : [];
    if (userids.length === 0 || userids.length > 100) return { errcode: 40058, errmsg: 'invalid userid_list' };
    const limit = Math.min(Number(b.limit ?? 50), 100);
    const rows = userids.flatMap((u) =>
      this.contactsOf(u).map((c) => ({
        external_contact: this.contactJson(c),
        follow_info: this.followJson(c.followers.find((f) => f.userid === u)!),
      })),
    );
    const start = Number(b.cursor || 0);
    const next = start + limit < rows.length ? String(start + limit) : '';
    return { external_contact_list: rows.slice(start, start + limit), next_cursor: next };
  }

  private addMsgTemplate(b: Record<string, unknown>): Record<string, unknown> {
    const sender = typeof b.sender === 'string' ? b.sender : '';
    const targets = Array.isArray(b.external_userid) ? (b.external_userid as string[]) : [];
    const text = (b.text as { content?: string } | undefined)?.content ?? '';
    if ((b.chat_type ?? 'single') !== 'single') return { errcode: 40003, errmsg: 'only chat_type single here' };
    if (!this.members.has(sender)) return { errcode: 60111, errmsg: 'invalid userid' };
    if (targets.length === 0 || targets.length > 10_000) return { errcode: 40096, errmsg: 'invalid external_userid' };
    if (!text) return { errcode: 44004, errmsg: 'empty content' };
    const msgid = `msg${randomBytes(12).toString('base64url')}`;
    const failList = targets.filter((id) => !this.follows(id, sender));
    this.tasks.set(msgid, {
      msgid,
      sender,
      externalUserIds: targets,
      failList,
      text,
      createdAt: this.now(),
      status: 0,
      cancelled: false,
      sendTime: 0,
      results: new Map(targets.map((id) => [id, 0 as SendStatus])),
    });
    return { msgid, fail_list: failList };
  }

  private task(b: Record<string, unknown>): FakeGroupTask | null {
    return typeof b.msgid === 'string' ? (this.tasks.get(b.msgid) ?? null) : null;
  }

  private groupMsgTask(b: Record<string, unknown>): Record<string, unknown> {
    const task = this.task(b);
    if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
    return { task_list: [{ userid: task.sender, status: task.status, send_time: task.sendTime }], next_cursor: '' };
  }

  private groupMsgSendResult(b: Record<string, unknown>): Record<string, unknown> {
    const task = this.task(b);
    if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
    if (b.userid !== task.sender) return { send_list: [], next_cursor: '' };
    const rows = task.externalUserIds.map((id) => ({
      external_userid: id,
      chat_id: '',
      userid: task.sender,
      status: task.results.get(id) ?? 0,
      ...(task.results.get(id) === 1 ? { send_time: task.sendTime } : {}),
    }));
    const limit = Math.min(Number(b.limit ?? 1000), 1000);
    const start = Number(b.cursor || 0);
    const next = start + limit < rows.length ? String(start + limit) : '';
    return { send_list: rows.slice(start, start + limit), next_cursor: next };
  }

  private remind(b: Record<string, unknown>): Record<string, unknown> {
    const task = this.task(b);
    if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
    this.reminders.push({ msgid: task.msgid, at: this.now() });
    return {};
  }

  private cancel(b: Record<string, unknown>): Record<string, unknown> {
    const task = this.task(b);
    if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
    task.cancelled = true;
    return {};
  }

  private transfer(kind: FakeTransfer['kind'], b: Record<string, unknown>): Record<string, unknown> {
    const handover = String(b.handover_userid ?? '');
    const takeover = String(b.takeover_userid ?? '');
    const ids = Array.isArray(b.external_userid) ? (b.external_userid as string[]) : [];
    if (!this.members.has(handover) || !this.members.has(takeover)) return { errcode: 60111, errmsg: 'invalid userid' };
    if (ids.length === 0 || ids.length > 100) return { errcode: 40096, errmsg: 'invalid external_userid' };
    const ninetyDaysAgo = this.now() - 90 * 86_400_000;
    const customer = ids.map((id) => {
      if (!this.follows(id, handover)) return { external_userid: id, errcode: 84061 };
      const mine = this.transfers.filter((t) => t.externalUserId === id);
      if (mine.some((t) => t.status === 2)) return { external_userid: id, errcode: 40129 };
      if (mine.filter((t) => t.startedAt > ninetyDaysAgo).length >= 2)
        return { external_userid: id, errcode: TRANSFER_LIMIT_ERRCODE };
      this.transfers.push({
        kind,
        handover,
        takeover,
        externalUserId: id,
        status: 2,
        startedAt: this.now(),
        takeoverTime: 0,
        message: typeof b.transfer_success_msg === 'string' ? b.transfer_success_msg : undefined,
      });
      return { external_userid: id, errcode: 0 };
    });
    return { customer };
  }

  private transferResult(kind: FakeTransfer['kind'], b: Record<string, unknown>): Record<string, unknown> {
    const rows = this.transfers
      .filter((t) => t.kind === kind && t.handover === b.handover_userid && t.takeover === b.takeover_userid)
      .map((t) => ({ external_userid: t.externalUserId, status: t.status, takeover_time: t.takeoverTime }));
    return { customer: rows, next_cursor: '' };
  }

  private userInfo(code: string | undefined): Record<string, unknown> {
    const userid = code ? this.codes.get(code) : undefined;
    if (!code || !userid) return { errcode: 40029, errmsg: 'invalid code' };
    this.codes.delete(code);
    return { userid };
  }
}
