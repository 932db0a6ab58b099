import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';

import { Clock } from '@app/common';
import { ChannelCircuit, OutboxService } from '@app/mail';

import { WecomGroupTaskEntity } from './entities/wecom-group-task.entity';
import { WecomApiClient } from './wecom-api.client';
import { WecomApiError } from './wecom-errors';
import { WecomRepository } from './wecom.repository';

interface SendResultAnswer {
  send_list?: { external_userid: string; userid: string; status: number; send_time?: number }[];
  next_cursor?: string;
}

// A task older than this is not polled any more (a butler who never confirms it).
const POLL_DAYS = 30;
// remind_groupmsg_send: WeCom allows 3 reminders of a task within 24 hours; we send one a day, at most 3.
const MAX_REMINDERS = 3;
const REMIND_EVERY_MS = 24 * 3_600_000;

// What WeCom did with each message of a 群发 task (get_groupmsg_send_result), onto its message row
// (delivery_status): 0 not sent yet → unconfirmed; 1 sent → delivered; 2 the client is no longer
// the butler's contact, 3 the client already had this month's 群发 messages → undelivered.
@Injectable()
export class WecomTasksService {
  private readonly logger = new Logger('WecomTasks');

  constructor(
    @InjectRepository(WecomGroupTaskEntity) private readonly tasks: Repository<WecomGroupTaskEntity>,
    private readonly repository: WecomRepository,
    private readonly api: WecomApiClient,
    private readonly outbox: OutboxService,
    private readonly circuit: ChannelCircuit,
    private readonly clock: Clock,
  ) {}

  // Polls every open task; a token failure opens the channel's circuit (errcode on /health).
  async pollOpen(): Promise<{ polled: number; delivered: number; undelivered: number }> {
    const ids = await this.repository.openTaskIds(POLL_DAYS, 500);
    const open = ids.length > 0 ? await this.tasks.find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } }) : [];
    let delivered = 0;
    let undelivered = 0;
    let polled = 0;
    for (const task of open) {
      try {
        const counts = await this.poll(task);
        delivered += counts.delivered;
        undelivered += counts.undelivered;
        polled++;
      } catch (error) {
        if (error instanceof WecomApiError && error.duringToken) {
          await this.circuit.reportOutage('wecom', error.message);
          break;
        }
        this.logger.warn(`WeCom task ${task.msgid}: ${(error as Error).message}`);
      }
    }
    return { polled, delivered, undelivered };
  }

  async poll(task: WecomGroupTaskEntity): Promise<{ delivered: number; undelivered: number }> {
    const results = new Map<string, { status: number; sendTime?: number }>();
    let cursor = '';
    do {
      const page = await this.api.post<SendResultAnswer>(
        '/cgi-bin/externalcontact/get_groupmsg_send_result',
        { msgid: task.msgid, userid: task.sender, limit: 1000, cursor },
        'contact',
      );
      for (const row of page.send_list ?? [])
        results.set(row.external_userid, { status: row.status, sendTime: row.send_time });
      cursor = page.next_cursor ?? '';
    } while (cursor);
    await this.circuit.reportReachable('wecom');
    let delivered = 0;
    let undelivered = 0;
    let confirmed = false;
    for (const message of await this.repository.taskMessages(task.msgid)) {
      const result = results.get(message.to_address);
      if (!result) continue;
      if (result.status !== 0) confirmed = true;
      const at = result.sendTime ? new Date(result.sendTime * 1000) : this.clock.now();
      if (result.status === 1) {
        delivered++;
        if (message.delivery_status !== 'delivered')
          await this.outbox.recordDelivery('wecom', message.id, 'delivered', at, null);
      } else if (result.status === 2 || result.status === 3) {
        undelivered++;
        if (message.delivery_status !== 'undelivered') {
          const error = result.status === 2 ? 'wecom_not_friend' : 'wecom_monthly_limit';
          await this.outbox.recordDelivery('wecom', message.id, 'undelivered', at, error);
        }
      } else if (message.delivery_status === null) {
        await this.outbox.recordDelivery('wecom', message.id, 'unconfirmed', null, null);
      }
    }
    await this.tasks.update(
      { id: task.id },
      {
        status: confirmed ? 'sent' : task.status,
        confirmedAt: confirmed ? (task.confirmedAt ?? this.clock.now()) : task.confirmedAt,
        deliveredCount: delivered,
        undeliveredCount: undelivered,
        polledAt: this.clock.now(),
      },
    );
    return { delivered, undelivered };
  }

  // Reminds the butler of unconfirmed tasks through WeCom (remind_groupmsg_send): once a day per
  // task, at most three times.
  async remindUnconfirmed(): Promise<number> {
    const now = this.clock.now().getTime();
    const open = await this.tasks.find({ where: { status: 'unconfirmed' }, take: 500 });
    let reminded = 0;
    for (const task of open) {
      if (task.reminders >= MAX_REMINDERS) continue;
      const last = (task.remindedAt ?? task.createdAt).getTime();
      if (now - last < REMIND_EVERY_MS) continue;
      try {
        await this.api.post('/cgi-bin/externalcontact/remind_groupmsg_send', { msgid: task.msgid }, 'contact');
        await this.tasks.update({ id: task.id }, { reminders: task.reminders + 1, remindedAt: this.clock.now() });
        reminded++;
      } catch (error) {
        this.logger.warn(`WeCom task ${task.msgid}: reminder refused: ${(error as Error).message}`);
      }
    }
    return reminded;
  }
}
