import { Injectable } from '@nestjs/common';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { shanghaiDaySql, shanghaiDayStartSql } from '@app/common';

import { MessageEntity, MessageRow } from './entities/message.entity';

// The outbox's SQL (docs/architecture.md, "Writing SQL"). Plain SQL on the sending path: it runs
// once per message of every campaign. Each method runs in the caller's transaction.
@Injectable()
export class MailRepository {
  // The pending message, locked; empty when another worker holds it or it is no longer pending.
  lockPending(em: EntityManager, messageId: string): Promise<MessageRow[]> {
    return em.query(`SELECT * FROM messages WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`, [messageId]);
  }

  async markSkipped(em: EntityManager, id: string, reason: string): Promise<void> {
    await em.query(`UPDATE messages SET status = 'skipped', skip_reason = $2, updated_at = now() WHERE id = $1`, [
      id,
      reason,
    ]);
  }

  // Still pending, due later (a provider's rule held it); no attempt is spent.
  async markHeld(em: EntityManager, id: string, until: Date, reason: string): Promise<void> {
    await em.query(`UPDATE messages SET scheduled_at = $2, last_error = $3, updated_at = now() WHERE id = $1`, [
      id,
      until,
      reason,
    ]);
  }

  // A provider's delivery receipt for a sent message of a channel; false when no such sent message.
  async recordDelivery(
    em: EntityManager,
    channel: string,
    id: string,
    status: 'delivered' | 'undelivered',
    at: Date,
    error: string | null,
  ): Promise<boolean> {
    const [rows]: [unknown[], number] = await em.query(
      `UPDATE messages SET delivery_status = $3, delivered_at = $4, delivery_error = $5, updated_at = now()
        WHERE id = $1 AND channel = $2 AND status = 'sent' RETURNING id`,
      [id, channel, status, at, error],
    );
    return rows.length > 0;
  }

  // Messages of a channel sent to an address today (Asia/Shanghai), on the send transaction. "Today"
  // is the database's, the clock that wrote sent_at, so the two never disagree (the SMS daily cap).
  async sentToday(em: EntityManager, channel: string, address: string): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(*)::int AS n FROM messages
        WHERE channel = $1 AND status = 'sent' AND to_address = $2
          AND sent_at >= ${shanghaiDayStartSql(shanghaiDaySql('now()'))}`,
      [channel, address],
    );
    return row.n;
  }

  async markSent(em: EntityManager, id: string, attempts: number, providerMessageId: string): Promise<void> {
    await em.query(
      `UPDATE messages
          SET status = 'sent', attempts = $2, sent_at = now(), last_error = NULL, provider_message_id = $3,
              updated_at = now()
        WHERE id = $1`,
      [id, attempts, providerMessageId],
    );
  }

  async markAttempt(
    em: EntityManager,
    id: string,
    status: 'failed' | 'pending',
    attempts: number,
    error: string,
  ): Promise<void> {
    await em.query(
      `UPDATE messages SET status = $2, attempts = $3, last_error = $4, updated_at = now() WHERE id = $1`,
      [id, status, attempts, error],
    );
  }

  // Records a message unless its key exists (through the caller's repository: its transaction's or the pool's).
  async insertIfNew(
    messages: Repository<MessageEntity>,
    message: QueryDeepPartialEntity<MessageEntity>,
  ): Promise<void> {
    await messages.createQueryBuilder().insert().into(MessageEntity).values(message).orIgnore().execute();
  }
}
