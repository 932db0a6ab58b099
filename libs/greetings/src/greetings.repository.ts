import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Scope } from '@app/access';
import { birthdayKeysOn } from '@app/calendar';
import { addDays } from '@app/common';
import { consentSql } from '@app/customers';
import { insertMessagesSql, skipPendingMessagesSql } from '@app/mail/sql';

import { audienceWhere } from './audience';
import { AUDIENCE_PARAMS_START, audienceFromSql, greetingContextSql, skipReasonSql } from './audience.repository';
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
  async planMessages(em: EntityManager, campaign: CampaignEntity, greetingMinDays: number): Promise<void> {
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
        `SELECT 'campaign:' || $1::text || ':' || c.id, 'greeting', 'email', c.id, $1::uuid, c.email,
                ${greetingContextSql()},
                CASE WHEN ${skipReasonSql()} IS NULL THEN 'pending' ELSE 'skipped' END::message_status,
                ${skipReasonSql()},
                $2::timestamptz, ((row_number() OVER (ORDER BY c.id)) - 1) / ${BATCH_SIZE}
           ${audienceFromSql(where.sql)}`,
      ),
      [campaign.id, campaign.sendAt, greetingMinDays, ...where.params],
    );
    const [{ n }] = await em.query(`SELECT count(*) AS n FROM messages WHERE campaign_id = $1`, [campaign.id]);
    await em.query(`UPDATE greeting_campaigns SET audience_count = $2 WHERE id = $1`, [campaign.id, Number(n)]);
  }

  // Consent can change between planning and sending: checked for a whole batch at once.
  async skipRefusedInBatch(campaignId: string, batchNo: number): Promise<void> {
    await this.dataSource.query(
      skipPendingMessagesSql({
        from: 'customers c',
        where: `m.campaign_id = $1 AND m.batch_no = $2 AND c.id = m.customer_id
                AND (NOT ${consentSql('c', 'greetings')} OR c.deleted_at IS NOT NULL)`,
        reason: `CASE WHEN c.deleted_at IS NOT NULL THEN 'deleted' ELSE 'unsubscribed' END`,
      }),
      [campaignId, batchNo],
    );
  }

  async pendingInBatch(campaignId: string, batchNo: number, now: Date): Promise<{ id: string }[]> {
    return this.dataSource.query(
      // A message held for later (an SMS greeting at night, until 08:00) waits for its time.
      `SELECT id FROM messages
        WHERE campaign_id = $1 AND batch_no = $2 AND status = 'pending' AND scheduled_at <= $3 ORDER BY id`,
      [campaignId, batchNo, now],
    );
  }

  // A sending campaign with nothing pending or being sent is completed.
  async completeIfDone(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE greeting_campaigns SET status = 'completed', completed_at = now(), updated_at = now()
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

  // Read on the send transaction's own connection.
  async clientConsent(
    em: EntityManager,
    customerId: string,
  ): Promise<{ consent_greetings: boolean; consent_surveys: boolean; deleted: boolean } | undefined> {
    const [client]: { consent_greetings: boolean; consent_surveys: boolean; deleted: boolean }[] = await em.query(
      `SELECT consent_greetings, consent_surveys, deleted_at IS NOT NULL AS deleted FROM customers WHERE id = $1`,
      [customerId],
    );
    return client;
  }

  // The campaigns of the teams in scope, latest first.
  async list(access: Scope): Promise<CampaignEntity[]> {
    const { sql, params } = access.teams('g.manager_id').named();
    const qb = this.dataSource.getRepository(CampaignEntity).createQueryBuilder('g').where(sql, params);
    return qb.orderBy('g.send_at', 'DESC').limit(200).getMany();
  }

  // A campaign's messages counted by status and skip reason.
  async messageCounts(campaignId: string): Promise<{ status: string; skip_reason: string | null; n: string }[]> {
    return this.dataSource.query(
      `SELECT status, skip_reason, count(*) AS n FROM messages WHERE campaign_id = $1 GROUP BY status, skip_reason`,
      [campaignId],
    );
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
