import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { AppConfig } from '@app/config';
import { JOBS, QueueOf, queueReady, QUEUES, sendMessageJobId, withinQueueTimeout } from '@app/queue';

import type { Channel } from './channel-provider';
import { DeliveryStatus, MessageEntity } from './entities/message.entity';
import { MailRepository } from './mail.repository';

export type NewMessage = Pick<MessageEntity, 'key' | 'purpose' | 'toAddress'> &
  Partial<
    Pick<
      MessageEntity,
      | 'channel'
      | 'customerId'
      | 'campaignId'
      | 'template'
      | 'context'
      | 'subject'
      | 'bodyText'
      | 'bodyHtml'
      | 'unsubscribeUrl'
      | 'scheduledAt'
    >
  >;

// The producer side of the outbox: record the message in PostgreSQL, then hand its id to Redis.
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectQueue(QUEUES.mail) private readonly queue: QueueOf<typeof QUEUES.mail>,
    private readonly config: AppConfig,
    private readonly repository: MailRepository,
  ) {}

  // Idempotent on key: recording the same message twice returns the first row. Given `em`, the
  // row is written in that transaction (enqueue after it commits).
  async record(message: NewMessage, em?: EntityManager): Promise<MessageEntity> {
    const messages = em ? em.getRepository(MessageEntity) : this.messages;
    await this.repository.insertIfNew(messages, message as QueryDeepPartialEntity<MessageEntity>);
    return messages.findOneOrFail({ where: { key: message.key } });
  }

  // Returns false when Redis is unavailable; the reconciler queues these messages later.
  async enqueue(messages: Pick<MessageEntity, 'id' | 'scheduledAt'>[]): Promise<boolean> {
    if (messages.length === 0) return true;
    if (!(await queueReady(this.queue))) {
      this.logger.warn(`Redis unavailable: ${messages.length} message(s) stay pending until it is back`);
      return false;
    }
    const { MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS } = this.config.mail;
    const now = Date.now();
    const jobs = messages.map((m) => ({
      name: JOBS.sendMessage,
      data: { messageId: m.id },
      opts: {
        jobId: sendMessageJobId(m.id),
        delay: Math.max(0, m.scheduledAt.getTime() - now),
        attempts: MAIL_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: MAIL_BACKOFF_MS },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    }));
    try {
      await withinQueueTimeout(this.queue.addBulk(jobs));
      return true;
    } catch (error) {
      this.logger.warn(`Could not queue ${messages.length} message(s): ${(error as Error).message}`);
      return false;
    }
  }

  // A provider's delivery receipt (by our message id, which providers echo back); false when the
  // channel sent no such message.
  recordDelivery(
    channel: Channel,
    messageId: string,
    status: DeliveryStatus,
    at: Date | null,
    error: string | null,
  ): Promise<boolean> {
    return this.repository.recordDelivery(this.messages.manager, channel, messageId, status, at, error);
  }

  // WeCom messages handed to WeCom this month (Shanghai) for a client, besides `excludeId` (in `em`).
  wecomThisMonth(em: EntityManager, customerId: string, excludeId: string): Promise<number> {
    return this.repository.wecomThisMonth(em, customerId, excludeId);
  }

  // How many messages a channel sent to one address today, Asia/Shanghai (in the send transaction `em`).
  sentToday(em: EntityManager, channel: Channel, address: string): Promise<number> {
    return this.repository.sentToday(em, channel, address);
  }

  async recordAndEnqueue(message: NewMessage): Promise<{ message: MessageEntity; queued: boolean }> {
    const row = await this.record(message);
    const queued = row.status === 'pending' ? await this.enqueue([row]) : true;
    return { message: row, queued };
  }
}
