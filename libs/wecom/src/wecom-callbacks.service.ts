import { Injectable, Logger } from '@nestjs/common';

import { AppError, Clock } from '@app/common';
import { LimitsRedis } from '@app/queue';
import { SettingsService } from '@app/settings';

import { CallbackCryptoError, CallbackKeys, openCallback } from './callback-crypto';
import { parseFlatXml } from './callback-xml';
import { WecomContactsService } from './wecom-contacts.service';
import { WecomTransfersService } from './wecom-transfers.service';

// WeCom stamps each callback with its own time; older than this is a replay (WeCom retries a
// callback it got no answer to within seconds, not minutes).
export const CALLBACK_MAX_AGE_S = 300;

export interface CallbackQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

// WeCom's callback URL (接收事件服务器): the URL check (GET, echostr) and the events (POST, an
// encrypted XML). Every request is verified before anything is read: the signature with the
// callback Token (wrong → 401), the body decrypted with the EncodingAESKey and checked to be for
// our corp (unreadable → 400), and not a replay (timestamp older than 5 minutes, or a
// msg_signature + nonce already seen, remembered in Redis for that long → 401).
@Injectable()
export class WecomCallbacksService {
  private readonly logger = new Logger('WecomCallbacks');

  constructor(
    private readonly settings: SettingsService,
    private readonly redis: LimitsRedis,
    private readonly clock: Clock,
    private readonly contacts: WecomContactsService,
    private readonly transfers: WecomTransfersService,
  ) {}

  // The URL check: the decrypted echostr is the answer.
  async verifyUrl(query: CallbackQuery, echostr: string): Promise<string> {
    const keys = await this.keys();
    this.checkFresh(query);
    return this.open(keys, query, echostr);
  }

  async receive(query: CallbackQuery, body: string): Promise<void> {
    const keys = await this.keys();
    const envelope = parseFlatXml(body);
    if (!envelope?.Encrypt) throw unreadable('the body is not WeCom callback XML with an Encrypt element');
    this.checkFresh(query);
    const plain = this.open(keys, query, envelope.Encrypt);
    await this.checkNotSeen(query);
    const event = parseFlatXml(plain);
    if (!event) throw unreadable('the decrypted message is not XML');
    await this.dispatch(event);
  }

  private async dispatch(event: Record<string, string>): Promise<void> {
    if (event.Event !== 'change_external_contact') return;
    const change = {
      changeType: event.ChangeType ?? '',
      wecomUserId: event.UserID ?? '',
      externalUserId: event.ExternalUserID ?? '',
      occurredAt: createTime(event.CreateTime) ?? this.clock.now(),
      detail: pick(event, ['State', 'WelcomeCode', 'Source', 'FailReason']),
    };
    if (!change.wecomUserId || !change.externalUserId) return;
    switch (change.changeType) {
      case 'add_external_contact':
      case 'add_half_external_contact':
      case 'edit_external_contact':
      case 'del_follow_user':
      case 'del_external_contact':
        await this.contacts.onContactChange(change);
        return;
      case 'transfer_fail':
        await this.contacts.onContactChange(change);
        await this.transfers.onTransferFail(change.externalUserId, change.wecomUserId, event.FailReason ?? '');
        return;
      default:
        this.logger.log(`change_external_contact ${change.changeType}: not handled`);
    }
  }

  private async keys(): Promise<CallbackKeys> {
    const c = await this.settings.wecomConnection();
    if (!c.enabled || !c.corpId || !c.callbackToken || !c.encodingAesKey)
      // Nothing can be verified: refused like a wrong signature (WeCom retries; an admin's URL
      // check fails until the settings are saved).
      throw new AppError('unauthorized', 'WeCom callbacks are not configured', {
        code: 'WECOM_CALLBACK_NOT_CONFIGURED',
      });
    return { token: c.callbackToken, encodingAesKey: c.encodingAesKey, receiveId: c.corpId };
  }

  private checkFresh(query: CallbackQuery): void {
    const at = Number(query.timestamp);
    const now = this.clock.now().getTime() / 1000;
    if (!/^\d{1,12}$/.test(query.timestamp) || Math.abs(now - at) > CALLBACK_MAX_AGE_S)
      throw new AppError('unauthorized', 'The callback is stale (timestamp more than 5 minutes off)', {
        code: 'WECOM_CALLBACK_REPLAYED',
      });
  }

  private open(keys: CallbackKeys, query: CallbackQuery, encrypt: string): string {
    try {
      return openCallback(keys, query, encrypt);
    } catch (error) {
      if (!(error instanceof CallbackCryptoError)) throw error;
      if (error.reason === 'bad_signature')
        throw new AppError('unauthorized', 'The callback signature is wrong', { code: 'WECOM_CALLBACK_SIGNATURE' });
      throw unreadable(`the message cannot be decrypted (${error.reason})`);
    }
  }

  // A signature and nonce already seen within the window is a replay. With Redis away the
  // timestamp window alone guards (and the events are idempotent: a repeat changes nothing new).
  private async checkNotSeen(query: CallbackQuery): Promise<void> {
    let fresh: string | null;
    try {
      const redis = await this.redis.connection();
      fresh = await redis.set(
        `${this.redis.namespace}wecom-callback:${query.msgSignature}:${query.nonce}`,
        '1',
        'EX',
        CALLBACK_MAX_AGE_S * 2,
        'NX',
      );
    } catch (error) {
      this.logger.warn(`Redis unavailable, replay check by timestamp only: ${(error as Error).message}`);
      return;
    }
    if (fresh !== 'OK')
      throw new AppError('unauthorized', 'The callback was already received', { code: 'WECOM_CALLBACK_REPLAYED' });
  }
}

function unreadable(why: string): AppError {
  return new AppError('invalid', `WeCom callback refused: ${why}`, { code: 'WECOM_CALLBACK_UNREADABLE' });
}

function createTime(value: string | undefined): Date | null {
  return value && /^\d{1,12}$/.test(value) ? new Date(Number(value) * 1000) : null;
}

function pick(event: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => event[n] !== undefined).map((n) => [n, event[n]]));
}
