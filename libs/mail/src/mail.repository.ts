import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { Clock, shanghaiDaySql, shanghaiDayStartSql } from '@app/common';

import { DeliveryStatus, MessageEntity, MessageRow } from './entities/message.entity';

// The outbox's SQL (docs/architecture.md, "Writing SQL"). Plain SQL on the sending path: it runs
// once per message of every campaign. Each method runs in the caller's transaction.
// `sent_at` is stamped with the app's Clock, the clock every window over it ends at (the contact
// cap, the per-number SMS day): the database's clock would disagree with an app under a moved
// Clock (tests, faketime).
// The start of the database's month in Shanghai.
const SHANGHAI_MONTH_START = "date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'";

@Injectable()
export class MailRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  // Those of these messages that are pending, locked, in the order given; a message another worker
  // holds, or no longer pending, is left out.
  lockPending(em: EntityManager, ids: string[]): Promise<MessageRow[]> {
    return em.query(
      `SELECT m.* FROM unnest($1::uuid[]) WITH ORDINALITY AS v(id, n) JOIN messages m ON m.id = v.id
        WHERE m.status = 'pending' ORDER BY v.n FOR UPDATE OF m SKIP LOCKED`,
      [ids],
    );
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

  // The same, for a provider whose receipt names its own id (Tencent's SerialNo) and the number,
  // not ours: found through the per-number index of sent SMS.
  async recordDeliveryByProviderId(
    em: EntityManager,
    channel: string,
    toAddress: string,
    providerMessageId: string,
    status: DeliveryStatus,
    at: Date,
    error: string | null,
  ): Promise<boolean> {
    const [rows]: [unknown[], number] = await em.query(
      `UPDATE messages SET delivery_status = $4, delivered_at = $5, delivery_error = $6, updated_at = now()
        WHERE channel = $1 AND status = 'sent' AND to_address = $2 AND provider_message_id = $3 RETURNING id`,
      [channel, toAddress, providerMessageId, status, at, error],
    );
    return rows.length > 0;
  }

  // Messages of a channel sent to an address today (Asia/Shanghai), on the send transaction. "Today"
  // is the app's Clock's, the clock that wrote sent_at, so the two never disagree (the SMS daily cap).
  async sentToday(em: EntityManager, channel: string, address: string): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(*)::int AS n FROM messages
        WHERE channel = $1 AND status = 'sent' AND to_address = $2
          AND sent_at >= ${shanghaiDayStartSql(shanghaiDaySql('$3::timestamptz'))}`,
      [channel, address, this.clock.now()],
    );
    return row.n;
  }

  // WeCom messages sent to a client since the start of the database's month in Shanghai: WeCom's
  // limit of 4 群发 messages a month (counted on PostgreSQL's clock; docs/limits.md).
  async wecomThisMonth(em: EntityManager, customerId: string, excludeId: string): Promise<number> {
    const [row]: { n: number }[] = await em.query(
      `SELECT count(*)::int AS n FROM messages
        WHERE customer_id = $1 AND channel = 'wecom' AND status IN ('sending', 'sent') AND id <> $2
          AND sent_at >= ${SHANGHAI_MONTH_START}`,
      [customerId, excludeId],
    );
    return row.n;
  }

  // Claims locked pending messages for `owner` until now + leaseMs (status sending).
  async claim(em: EntityManager, ids: string[], owner: string, leaseMs: number): Promise<void> {
    await em.query(
      `UPDATE messages
          SET status = 'sending', lease_owner = $2, lease_until = now() + make_interval(secs => $3::float / 1000),
              updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [ids, owner, leaseMs],
    );
  }

  // The provider accepted them: sent, whoever holds them now (what was accepted is never sent
  // again), in one statement. Returns the ids marked now; one left out was already marked (a mark
  // retried after its commit's answer was lost).
  async markSent(
    em: EntityManager,
    marks: { id: string; attempts: number; providerMessageId: string }[],
  ): Promise<Set<string>> {
    const [rows]: [{ id: string }[], number] = await em.query(
      `UPDATE messages m
          SET status = 'sent', attempts = v.attempts, sent_at = $4, last_error = NULL,
              provider_message_id = v.provider_message_id, lease_owner = NULL, lease_until = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, attempts, provider_message_id)
        WHERE m.id = v.id AND m.status IN ('sending', 'pending')
       RETURNING m.id`,
      [marks.map((m) => m.id), marks.map((m) => m.attempts), marks.map((m) => m.providerMessageId), this.clock.now()],
    );
    return new Set(rows.map((r) => r.id));
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
