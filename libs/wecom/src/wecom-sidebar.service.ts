import { Injectable } from '@nestjs/common';

import { AuthService } from '@app/auth';
import { AppError, Clock, type RequestOrigin } from '@app/common';
import { LimitsRedis } from '@app/queue';
import { SettingsService } from '@app/settings';
import { UsersService } from '@app/users';

import { WecomJsConfigDto, WecomSessionDto } from './dto/wecom-edge.dto';
import { jsapiSignature, newNonceStr } from './jssdk-signature';
import { WecomAnswer, WecomApiClient } from './wecom-api.client';
import { WecomApiError, WecomNotConfiguredError, WecomUnreachableError } from './wecom-errors';

type TicketKind = 'jsapi' | 'agent_config';

// A ticket is used until this long before WeCom's expires_in (7200 s). WeCom limits how often
// tickets may be fetched, so they are shared by every process through Redis.
const TICKET_MARGIN_S = 300;

// The chat toolbar page's server side: who the butler is (WeCom's OAuth2 code → their WeCom userid
// → the bound user → a normal session token) and the JS-SDK signatures for the page's URL.
@Injectable()
export class WecomSidebarService {
  private readonly memory = new Map<string, { ticket: string; until: number }>();

  constructor(
    private readonly api: WecomApiClient,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly settings: SettingsService,
    private readonly redis: LimitsRedis,
    private readonly clock: Clock,
  ) {}

  // With the page's URL, the JS-SDK signatures come in the same answer (one round trip less before
  // the page can ask WeCom which contact the chat is with).
  async signIn(code: string, url?: string, origin?: RequestOrigin): Promise<WecomSessionDto> {
    let answer: { userid?: string; UserId?: string };
    try {
      answer = await this.api.get('/cgi-bin/auth/getuserinfo', { code }, 'agent');
    } catch (error) {
      // 40029: an unknown, used or expired code.
      if (error instanceof WecomApiError && !error.duringToken)
        throw new AppError('unauthorized', 'WeCom did not accept the sign-in code', { code: 'WECOM_OAUTH_FAILED' });
      throw asAppError(error);
    }
    const userid = answer.userid ?? answer.UserId;
    const user = userid ? await this.users.byWecomUserId(userid) : null;
    const session = user ? await this.auth.sessionFor(user.id, origin) : null;
    if (!session)
      throw new AppError('unauthorized', 'No active user is bound to this WeCom member', {
        code: 'WECOM_USER_NOT_BOUND',
      });
    return { ...session, jsConfig: url ? await this.jsConfig(url) : null };
  }

  async jsConfig(url: string): Promise<WecomJsConfigDto> {
    const connection = await this.settings.wecomConnection();
    if (!connection.enabled || !connection.corpId || !connection.agentId) throw notConfigured();
    const [jsapi, agent] = await Promise.all([
      this.ticket('jsapi', connection.corpId),
      this.ticket('agent_config', connection.corpId),
    ]);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const sign = (ticket: string) => {
      const nonceStr = newNonceStr();
      return { timestamp, nonceStr, signature: jsapiSignature(ticket, nonceStr, timestamp, url) };
    };
    return {
      corpId: connection.corpId,
      agentId: String(connection.agentId),
      config: sign(jsapi),
      agentConfig: sign(agent),
    };
  }

  private async ticket(kind: TicketKind, corpId: string): Promise<string> {
    const key = `${this.redis.namespace}wecom-ticket:${corpId}:${kind}`;
    const remembered = this.memory.get(key);
    if (remembered && remembered.until > Date.now()) return remembered.ticket;
    const stored = await this.redis
      .connection()
      .then(async (r) => [await r.get(key), await r.pttl(key)] as const)
      .catch(() => [null, 0] as const);
    if (stored[0]) {
      this.memory.set(key, { ticket: stored[0], until: Date.now() + Math.max(stored[1], 0) });
      return stored[0];
    }
    type TicketAnswer = WecomAnswer & { ticket?: string; expires_in?: number };
    const answer = await (
      kind === 'jsapi'
        ? this.api.get<TicketAnswer>('/cgi-bin/get_jsapi_ticket', {}, 'agent')
        : this.api.get<TicketAnswer>('/cgi-bin/ticket/get', { type: 'agent_config' }, 'agent')
    ).catch((error: unknown) => {
      throw asAppError(error);
    });
    if (!answer.ticket) throw new WecomApiError(-1, 'no ticket in the answer', kind);
    const lifeS = Math.max((answer.expires_in ?? 7200) - TICKET_MARGIN_S, 60);
    this.memory.set(key, { ticket: answer.ticket, until: Date.now() + lifeS * 1000 });
    await this.redis
      .connection()
      .then((r) => r.set(key, answer.ticket!, 'EX', lifeS))
      .catch(() => undefined);
    return answer.ticket;
  }
}

function notConfigured(): AppError {
  return new AppError('conflict', 'WeCom is not enabled, or lacks corpId, agentId or the app secret', {
    code: 'WECOM_NOT_CONFIGURED',
  });
}

// What the page can say about WeCom itself failing: not set up (409), or not answering / refusing
// the corp's credentials (503).
function asAppError(error: unknown): unknown {
  if (error instanceof WecomNotConfiguredError) return notConfigured();
  if (error instanceof WecomApiError)
    return new AppError('unavailable', `WeCom is unavailable: ${error.message}`, {
      code: 'WECOM_UNAVAILABLE',
      errcode: error.errcode,
      errmsg: error.errmsg,
    });
  if (error instanceof WecomUnreachableError)
    return new AppError('unavailable', `WeCom is unavailable: ${error.message}`, {
      code: 'WECOM_UNAVAILABLE',
      errcode: -1,
      errmsg: error.reason,
    });
  return error;
}
