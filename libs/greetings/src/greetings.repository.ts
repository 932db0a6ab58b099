import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Scope } from '@app/access';
import { birthdayKeysOn } from '@app/calendar';
import { addDays } from '@app/common';
import { consentOnChannelSql, contactColumnsSql, ContactRow } from '@app/customers';
import { FailureReason, failureReasonSql } from '@app/mail';
import { contactCapHitSql, insertMessagesSql, retryFailedMessagesSql, skipPendingMessagesSql } from '@app/mail/sql';

import { audienceWhere } from './audience';
import {
  addressSql,
  AUDIENCE_PARAMS_START,
  audienceFromSql,
  audienceParams,
  channelSql,
  greetingContextSql,
  PlanRules,
  skipReasonSql,
} from './audience.repository';
import { CampaignAudience, CampaignEntity } from './entities/campaign.entity';

export type DigestRow = {
  butler_id: string;
  butler_name: string;
  email: string;
  customer_name: string;
  title: string;
  due_at: Date;
};

export type BirthdayRow = {
  date: string;
  id: string;
  name: string;
  butler_id: string;
  tier: string;
  birthday_calendar: 'solar' | 'lunar';
};

const MAX_BIRTHDAYS = 200;

// Messages planned into one batch job.
export const BATCH_SIZE = 500;

// The greetings' SQL (docs/architecture.md, "Writing SQL"). Methods given an EntityManager run in
// the caller's transaction.
@Injectable()
export class GreetingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Claims a scheduled campaign for planning (status → sending); undefined when not scheduled.
  async claimCampaign(em: EntityManager, campaignId: string): Promise<CampaignEntity | undefined> {
    const [campaign]: CampaignEntity[] = await em
      .query(
        `UPDATE greeting_campaigns SET status = 'sending', planned_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'scheduled' RETURNING id, audience, manager_id AS "managerId", send_at AS "sendAt"`,
        [campaignId],
      )
      .then((r: [CampaignEntity[], number]) => r[0]);
    return campaign;
  }

  // One message row per client of the audience (pending, or skipped with the reason), in
  // batches of BATCH_SIZE, and the audience's size on the campaign.
  async planMessages(em: EntityManager, campaign: CampaignEntity, rules: PlanRules): Promise<void> {
    const where = audienceWhere(campaign.audience, campaign.managerId, AUDIENCE_PARAMS_START);
    await em.query(
      insertMessagesSql(
        [
          'key',
          'purpose',
          'channel',
          'customer_id',
          'campaign_id',
          'to_address',
          'context',
          'status',
          'skip_reason',
          'scheduled_at',
          'batch_no',
        ],
        `SELECT 'campaign:' || $1::text || ':' || c.id, 'greeting', ${channelSql()}, c.id, $1::uuid, ${addressSql()},
                ${greetingContextSql()},
                CASE WHEN ${skipReasonSql()} IS NULL THEN 'pending' ELSE 'skipped' END::message_status,
                ${skipReasonSql()},
                $2::timestamptz, ((row_number() OVER (ORDER BY c.id)) - 1) / ${BATCH_SIZE}
           ${audienceFromSql(where.sql, rules.order)}`,
      ),
      [...audienceParams(campaign.id, campaign.sendAt, rules), ...where.params],
    );
    const [{ n }] = await em.query(`SELECT count(*) AS n FROM messages WHERE campaign_id = $1`, [campaign.id]);
    await em.query(`UPDATE greeting_campaigns SET audience_count = $2 WHERE id = $1`, [campaign.id, Number(n)]);
  }

  // Consent can change between planning and sending: checked for a whole batch at once, on each
  // message's channel.
  async skipRefusedInBatch(campaignId: string, batchNo: number): Promise<void> {
    await this.dataSource.query(
      skipPendingMessagesSql({
        from: 'customers c',
        where: `m.campaign_id = $1 AND m.batch_no = $2 AND c.id = m.customer_id
                AND (NOT ${consentOnChannelSql('c', 'greetings', 'm.channel')} OR c.deleted_at IS NOT NULL)`,
        reason: `CASE WHEN c.deleted_at IS NOT NULL THEN 'deleted' ELSE 'unsubscribed' END`,
      }),
      [campaignId, batchNo],
    );
  }

  async pendingInBatch(campaignId: string, batchNo: number, now: Date): Promise<{ id: string; channel: string }[]> {
    return this.dataSource.query(
      // A message held for later (an SMS greeting at night, until 08:00) waits for its time.
      `SELECT id, channel FROM messages
        WHERE campaign_id = $1 AND batch_no = $2 AND status = 'pending' AND scheduled_at <= $3 ORDER BY id`,
      [campaignId, batchNo, now],
    );
  }

  // A sending campaign with nothing pending or being sent is completed, or completed_with_failures
  // when a message failed.
  async completeIfDone(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE greeting_campaigns
          SET status = CASE WHEN EXISTS (SELECT 1 FROM messages WHERE campaign_id = $1 AND status = 'failed')
                            THEN 'completed_with_failures' ELSE 'completed' END::campaign_status,
              completed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'sending'
         AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = $1 AND status IN ('pending', 'sending'))`,
      [campaignId],
    );
  }

  async scheduledDueBy(at: Date): Promise<{ id: string }[]> {
    return this.dataSource.query(`SELECT id FROM greeting_campaigns WHERE status = 'scheduled' AND send_at <= $1`, [
      at,
    ]);
  }

  async sending(): Promise<{ id: string }[]> {
    return this.dataSource.query(`SELECT id FROM greeting_campaigns WHERE status = 'sending'`);
  }

  // Batches with a message pending, due and untouched for graceMs (a held message is due at its time).
  async staleBatches(campaignId: string, graceMs: number, now: Date): Promise<{ batch_no: number }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT batch_no FROM messages
        WHERE campaign_id = $1 AND status = 'pending' AND scheduled_at <= $3
          AND updated_at <= now() - make_interval(secs => $2::float / 1000)`,
      [campaignId, graceMs, now],
    );
  }

  async pendingBatches(campaignId: string): Promise<{ batch_no: number }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT batch_no FROM messages WHERE campaign_id = $1 AND status = 'pending' ORDER BY batch_no`,
      [campaignId],
    );
  }

  // The client's consent and addresses, and whether the contact cap holds back the message being
  // sent (`messageId`, not counted) at `at`. Read on the send transaction's own connection.
  async clientContact(
    em: EntityManager,
    customerId: string,
    messageId: string,
    at: Date,
    cap: { max: number; days: number },
  ): Promise<(ContactRow & { capped: boolean }) | undefined> {
    const capped = contactCapHitSql({
      customer: 'c.id',
      at: '$2::timestamptz',
      max: '$3::int',
      days: '$4::int',
      exclude: '$5::uuid',
    });
    const [client]: (ContactRow & { capped: boolean })[] = await em.query(
      `SELECT ${contactColumnsSql('c')}, ${capped} AS capped FROM customers c WHERE c.id = $1`,
      [customerId, at, cap.max, cap.days, messageId],
    );
    return client;
  }

  // The campaigns of the teams in scope, latest first.
  async list(access: Scope): Promise<CampaignEntity[]> {
    const { sql, params } = access.teams('g.manager_id').named();
    const qb = this.dataSource.getRepository(CampaignEntity).createQueryBuilder('g').where(sql, params);
    return qb.orderBy('g.send_at', 'DESC').limit(200).getMany();
  }

  // A campaign's messages counted by status, skip reason and (failed ones) failure reason and
  // whether they may still be retried.
  async messageCounts(campaignId: string): Promise<
    {
      status: string;
      skip_reason: string | null;
      failure_reason: FailureReason | null;
      retryable: boolean;
      n: string;
    }[]
  > {
    return this.dataSource.query(
      `SELECT status, skip_reason,
              CASE WHEN status = 'failed' THEN ${failureReasonSql('last_error')} END AS failure_reason,
              (status = 'failed' AND retried_at IS NULL) AS retryable, count(*) AS n
         FROM messages WHERE campaign_id = $1 GROUP BY 1, 2, 3, 4`,
      [campaignId],
    );
  }

  // The failed messages of these campaigns counted by failure reason.
  async failureCounts(campaignIds: string[]): Promise<{ campaign_id: string; reason: FailureReason; n: string }[]> {
    if (campaignIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT campaign_id, ${failureReasonSql('last_error')} AS reason, count(*) AS n
         FROM messages WHERE campaign_id = ANY($1::uuid[]) AND status = 'failed' GROUP BY 1, 2`,
      [campaignIds],
    );
  }

  // The campaign, locked for the caller's transaction (retry-failed: one at a time).
  async lockCampaign(em: EntityManager, id: string): Promise<{ status: string } | undefined> {
    const [row]: { status: string }[] = await em.query(
      `SELECT status FROM greeting_campaigns WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  // Puts the campaign's failed messages not yet retried back to pending (once each) and the
  // campaign back to sending; the batches that now have pending messages. In the caller's
  // transaction, which holds the campaign's lock.
  async retryFailed(em: EntityManager, id: string, at: Date): Promise<{ retried: number; batches: number[] }> {
    // An UPDATE … RETURNING answers [rows, count].
    const [rows]: [{ id: string; batch_no: number | null }[], number] = await em.query(
      retryFailedMessagesSql({ where: 'm.campaign_id = $1', at: '$2::timestamptz' }),
      [id, at],
    );
    if (rows.length > 0)
      await em.query(
        `UPDATE greeting_campaigns SET status = 'sending', completed_at = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
    const batches = [...new Set(rows.map((r) => r.batch_no ?? 0))].sort((a, b) => a - b);
    return { retried: rows.length, batches };
  }

  // How many of the campaign's messages failed, and how many of those were retried already.
  async failedCount(em: EntityManager, id: string): Promise<{ failed: number; retried: number }> {
    const [row]: { failed: string; retried: string }[] = await em.query(
      `SELECT count(*) AS failed, count(retried_at) AS retried
         FROM messages WHERE campaign_id = $1 AND status = 'failed'`,
      [id],
    );
    return { failed: Number(row.failed), retried: Number(row.retried) };
  }

  // Cancels a campaign and skips its pending messages, in the caller's transaction.
  async cancel(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE greeting_campaigns SET status = 'cancelled', updated_at = now() WHERE id = $1`, [id]);
    await em.query(skipPendingMessagesSql({ where: 'm.campaign_id = $1', reason: `'cancelled'` }), [id]);
  }

  async countAudience(audience: CampaignAudience, managerId: string | null): Promise<number> {
    const where = audienceWhere(audience, managerId, 1);
    const [row] = await this.dataSource.query(`SELECT count(*) AS n FROM customers c WHERE ${where.sql}`, where.params);
    return Number(row.n);
  }

  // One festival campaign per active manager (auto_key makes it once); how many were created.
  async insertFestivalCampaigns(
    name: string,
    occasion: string,
    sendAt: Date,
    status: 'scheduled' | 'draft',
    year: string,
  ): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO greeting_campaigns (name, occasion, template_id, subject, body, send_at, audience, status,
                                      manager_id, auto_key)
       SELECT $1 || ' · ' || m.name, $2, t.id, t.subject, t.body, $3, '{"scope":"team"}'::jsonb, $4::campaign_status,
              m.id,
              'festival:' || $2 || ':' || $5 || ':' || m.id
       FROM users m JOIN message_templates t ON t.occasion = $2 AND t.is_default AND t.active
       WHERE m.role = 'manager' AND m.active
       ON CONFLICT DO NOTHING RETURNING id`,
      [name, occasion, sendAt, status, year],
    );
    return rows.length;
  }

  // The campaign greeting the clients whose birthday is `day`; false if it already exists.
  async insertBirthdayCampaign(day: string, sendAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO greeting_campaigns (name, occasion, template_id, subject, body, send_at, audience, status, auto_key)
       SELECT $1, 'birthday', t.id, t.subject, t.body, $2, jsonb_build_object('scope', 'all', 'birthdayOn', $3::text),
              'scheduled', 'birthday:' || $3::text
       FROM message_templates t WHERE t.occasion = 'birthday' AND t.is_default AND t.active
       ON CONFLICT DO NOTHING RETURNING id`,
      [`${day} 生日祝福`, sendAt, day],
    );
    return rows.length > 0;
  }

  // Open follow-ups due before `dayEnd` of active butlers and live clients, by butler.
  async openFollowUpsDueBefore(dayEnd: Date): Promise<DigestRow[]> {
    return this.dataSource.query(
      `SELECT f.butler_id, b.name AS butler_name, b.email, c.name AS customer_name, f.title, f.due_at
       FROM follow_ups f JOIN users b ON b.id = f.butler_id AND b.active
       JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
       WHERE f.status = 'open' AND f.due_at < $1 ORDER BY f.butler_id, f.due_at`,
      [dayEnd],
    );
  }

  // The clients in scope whose birthday falls in the `days` days from `from`, by date (at most
  // MAX_BIRTHDAYS).
  async birthdaysOn(access: Scope, from: string, days: number): Promise<BirthdayRow[]> {
    const keys: unknown[][] = [];
    for (let i = 0; i < days; i++) {
      const day = addDays(from, i);
      for (const k of birthdayKeysOn(day)) keys.push([day, k.calendar, k.month, k.day, k.leapMonth]);
    }
    const values: unknown[] = keys.flat();
    const tuples = keys
      .map(
        (_, i) =>
          `($${i * 5 + 1}::date, $${i * 5 + 2}, $${i * 5 + 3}::int, $${i * 5 + 4}::int, $${i * 5 + 5}::boolean)`,
      )
      .join(', ');
    const scope = access.clients('c').at(values.length + 1);
    values.push(...scope.params);
    return this.dataSource.query(
      `WITH k(day, calendar, month, dom, leap) AS (VALUES ${tuples})
       SELECT * FROM (
         SELECT DISTINCT ON (c.id) to_char(k.day, 'YYYY-MM-DD') AS date, c.id, c.name, c.butler_id, c.tier,
                c.birthday_calendar
           FROM customers c JOIN k ON c.birthday_calendar::text = k.calendar AND c.birthday_month = k.month
                                  AND c.birthday_day = k.dom
                                  AND (k.calendar = 'solar' OR c.birthday_leap_month = k.leap)
          WHERE ${scope.sql}
          ORDER BY c.id, k.day) b
       ORDER BY b.date, b.name LIMIT ${MAX_BIRTHDAYS}`,
      values,
    );
  }
}
