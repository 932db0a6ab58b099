import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { shanghaiDaySql, shanghaiDayStartSql } from '@app/common';

import { MessageEntity, MessageRow } from './entities/message.entity';

// The outbox's SQL (docs/architecture.md, "Writing SQL"). Plain SQL on the sending path: it runs
// once per message of every campaign. Each method runs in the caller's transaction.
@Injectable()
export class MailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    status: 'delivered' | 'undelivered' | 'unconfirmed',
    at: Date | null,
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

  // WeCom messages (sending or sent) to a client since the start of the database's month in
  // Shanghai: WeCom's limit of 4 群发 messages a month, counted on the clock that writes sent_at.
  async wecomThisMonth(em: EntityManager, customerId: string, excludeId: string): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(*)::int AS n FROM messages
        WHERE customer_id = $1 AND channel = 'wecom' AND status IN ('sending', 'sent') AND id <> $2
          AND sent_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`,
      [customerId, excludeId],
    );
    return row.n;
  }

  // Claims a locked pending message for `owner` until now + leaseMs (status sending).
  async claim(em: EntityManager, id: string, owner: string, leaseMs: number): Promise<void> {
    await em.query(
      `UPDATE messages
          SET status = 'sending', lease_owner = $2, lease_until = now() + make_interval(secs => $3::float / 1000),
              updated_at = now()
        WHERE id = $1`,
      [id, owner, leaseMs],
    );
  }

  // The provider accepted it: sent, whoever holds it now (what was accepted is never sent again).
  // False when it was already marked (a mark retried after its commit's answer was lost).
  async markSent(em: EntityManager, id: string, attempts: number, providerMessageId: string): Promise<boolean> {
    const [, n]: [unknown, number] = await em.query(
      `UPDATE messages
          SET status = 'sent', attempts = $2, sent_at = now(), last_error = NULL, provider_message_id = $3,
              lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('sending', 'pending')`,
      [id, attempts, providerMessageId],
    );
    return n > 0;
  }

  // After a refusal: pending again (a retry) or failed, unless the lease went to another worker.
  // A message that never left (an outage) keeps its attempts: pass them unchanged.
  async markAttempt(
    em: EntityManager,
    id: string,
    status: 'failed' | 'pending',
    attempts: number,
    error: string,
    owner: string | null,
  ): Promise<void> {
    await em.query(
      `UPDATE messages
          SET status = $2, attempts = $3, last_error = $4, lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND lease_owner = $5))`,
      [id, status, attempts, error, owner],
    );
  }

  // Workers holding leases that have expired.
  async expiredLeaseOwners(): Promise<string[]> {
    const rows: { lease_owner: string }[] = await this.dataSource.query(
      `SELECT DISTINCT lease_owner FROM messages
        WHERE status = 'sending' AND lease_until < now() AND lease_owner IS NOT NULL`,
    );
    return rows.map((r) => r.lease_owner);
  }

  // Expired leases of `owner` on messages it does not hold (`held`): back to pending.
  async releaseOwnOrphans(owner: string, held: string[]): Promise<number> {
    const [, n]: [unknown, number] = await this.dataSource.query(
      `UPDATE messages SET status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE status = 'sending' AND lease_until < now() AND lease_owner = $1 AND NOT (id = ANY($2::uuid[]))`,
      [owner, held],
    );
    return n;
  }

  // Expired leases of these (gone) workers: back to pending, attempts unchanged.
  async releaseExpiredLeases(owners: string[]): Promise<number> {
    const [, n]: [unknown, number] = await this.dataSource.query(
      `UPDATE messages SET status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE status = 'sending' AND lease_until < now() AND lease_owner = ANY($1)`,
      [owners],
    );
    return n;
  }

  // Records a message unless its key exists (through the caller's repository: its transaction's or the pool's).
  async insertIfNew(
    messages: Repository<MessageEntity>,
    message: QueryDeepPartialEntity<MessageEntity>,
  ): Promise<void> {
    await messages.createQueryBuilder().insert().into(MessageEntity).values(message).orIgnore().execute();
  }
}
