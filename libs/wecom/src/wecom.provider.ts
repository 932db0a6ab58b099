import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';

import { WECOM_MONTHLY_LIMIT } from '@app/customers';
import {
  ChannelProvider,
  MailSenderService,
  OutboxService,
  ProviderAdmission,
  ProviderRequest,
  ProviderResult,
  SendFailure,
} from '@app/mail';
import { SettingsService } from '@app/settings';

import { WecomGroupTaskEntity } from './entities/wecom-group-task.entity';
import { WecomApiClient } from './wecom-api.client';
import { RETRY_ERRCODES, WecomApiError, WecomNotConfiguredError, WecomUnreachableError } from './wecom-errors';
import { taskLabel } from './wecom-labels';
import { WecomRepository } from './wecom.repository';

// How WeCom's refusals map onto the outbox: the token (corp id, secret) or WeCom away pauses the
// channel (its circuit opens, with the errcode and errmsg on /health); a rate limit is tried again;
// anything else is this message's own problem.
export function classifyWecomError(error: unknown): SendFailure {
  if (error instanceof WecomApiError) {
    const reason = `wecom ${error.path} errcode ${error.errcode}: ${error.errmsg}`.slice(0, 300);
    if (error.duringToken) return { kind: 'outage', reason };
    if (RETRY_ERRCODES.has(error.errcode)) return { kind: 'retry', reason };
    return { kind: 'permanent', reason };
  }
  if (error instanceof WecomUnreachableError || error instanceof WecomNotConfiguredError)
    return { kind: 'outage', reason: error.message.slice(0, 300) };
  return { kind: 'retry', reason: `wecom: ${(error as Error).message}`.slice(0, 300) };
}

interface AddMsgTemplateAnswer {
  msgid?: string;
  fail_list?: string[];
}

// The WeCom channel (docs/wecom.md): messages become 群发 tasks (add_msg_template, chat_type
// single) sent as the client's butler, one task per butler and text for the messages handed over
// together (a campaign batch); WeCom sends them once the butler confirms in the WeCom app. A
// message is `sent` when its task exists (provider_message_id = msgid); the task poller records
// what WeCom then did with it. WeCom allows 4 such messages per client and calendar month: a
// message over it is skipped `capped` before any task is created.
@Injectable()
export class WecomProvider implements ChannelProvider {
  readonly channel = 'wecom' as const;
  private readonly logger = new Logger('WecomProvider');

  constructor(
    private readonly api: WecomApiClient,
    private readonly repository: WecomRepository,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    @InjectRepository(WecomGroupTaskEntity) private readonly tasks: Repository<WecomGroupTaskEntity>,
    sender: MailSenderService,
  ) {
    sender.registerProvider(this);
  }

  async admit({ message }: ProviderRequest, em: EntityManager): Promise<ProviderAdmission> {
    if (!(await this.settings.wecomConnection(em)).enabled) return { skip: 'wecom_off' };
    if (!message.customerId) return { skip: 'invalid_address' };
    const sent = await this.outbox.wecomThisMonth(em, message.customerId, message.id);
    if (sent >= WECOM_MONTHLY_LIMIT) return { skip: 'capped' };
    return null;
  }

  async send(request: ProviderRequest): Promise<ProviderResult> {
    return (await this.sendMany([request]))[0];
  }

  async sendMany(requests: ProviderRequest[]): Promise<ProviderResult[]> {
    const results: ProviderResult[] = requests.map(() => ({
      accepted: false,
      failure: { kind: 'permanent', reason: 'wecom: the client has no butler bound to WeCom' },
    }));
    const senders = new Map(
      (await this.repository.senders(requests.map((r) => r.message.customerId).filter((id): id is string => !!id))).map(
        (s) => [s.customer_id, s],
      ),
    );
    // One task per butler, purpose and text (a 群发 sends one text to every client it names).
    const groups = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const sender = r.message.customerId ? senders.get(r.message.customerId) : undefined;
      if (!sender?.wecom_user_id) return;
      const key = JSON.stringify([sender.wecom_user_id, r.message.purpose, r.message.campaignId, r.content.text]);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const indexes of groups.values()) {
      const first = requests[indexes[0]];
      const sender = senders.get(first.message.customerId!)!;
      const externalIds = [...new Set(indexes.map((i) => requests[i].to))];
      let answer: AddMsgTemplateAnswer;
      try {
        answer = await this.api.post<AddMsgTemplateAnswer>(
          '/cgi-bin/externalcontact/add_msg_template',
          {
            chat_type: 'single',
            external_userid: externalIds,
            sender: sender.wecom_user_id,
            allow_select: false,
            text: { content: first.content.text.slice(0, 4000) },
          },
          'contact',
        );
      } catch (error) {
        const failure = classifyWecomError(error);
        for (const i of indexes) results[i] = { accepted: false, failure };
        continue;
      }
      const msgid = answer.msgid ?? '';
      const failed = new Set(answer.fail_list ?? []);
      for (const i of indexes) {
        results[i] = failed.has(requests[i].to)
          ? { accepted: false, failure: { kind: 'permanent', reason: 'wecom: not an external contact of the butler' } }
          : { accepted: true, providerMessageId: msgid };
      }
      const accepted = externalIds.filter((id) => !failed.has(id)).length;
      if (accepted > 0) await this.recordTask(msgid, sender, first, accepted);
    }
    return results;
  }

  private async recordTask(
    msgid: string,
    sender: { butler_id: string; wecom_user_id: string | null },
    first: ProviderRequest,
    clients: number,
  ): Promise<void> {
    const occasion = first.message.campaignId ? await this.repository.campaignOccasion(first.message.campaignId) : null;
    try {
      await this.tasks.insert({
        msgid,
        butlerId: sender.butler_id,
        sender: sender.wecom_user_id!,
        purpose: first.message.purpose,
        campaignId: first.message.campaignId,
        label: taskLabel(first.message.purpose, occasion),
        clientCount: clients,
      });
    } catch (error) {
      // The task exists at WeCom and its messages are marked sent with its msgid; without this row
      // it is not polled nor shown on the butler's 今日 (docs/limits.md).
      this.logger.error(`WeCom task ${msgid} created, its record failed: ${(error as Error).message}`);
    }
  }
}
