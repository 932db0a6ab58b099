import { Injectable } from '@nestjs/common';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

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
