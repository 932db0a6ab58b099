import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Scope } from '@app/access';
import { SqlParams } from '@app/common';
import { contactColumnsSql, type ContactRow } from '@app/customers';
import type { Channel } from '@app/mail';
import { contactCapHitSql } from '@app/mail/sql';

import { ADD_INVITATION_SQL, STATS_COLUMNS, statsFromRawSql } from './butler-stats';
import { detractorSql } from './detractor';
import type { InvitationSource } from './entities/survey-invitation.entity';
import type { SurveyInvitationRow } from './response-batcher';
import type { SurveyedContact } from './survey-invitations.service';

// An invitation with its client's consent and addresses (the consent rule's row), and whether the
// contact cap holds it back now.
export type DueInvitation = ContactRow & {
  id: string;
  customer_id: string;
  capped: boolean;
};

export type QueuedInvitation = DueInvitation & {
  status: string;
  butler_id: string;
  source: string;
  name: string;
  gender: string | null;
  // The kind of the contact surveyed (call, visit… for a logged contact); null for a program's.
  kind: string | null;
  // 'transactional', or 'relationship' with its program's name and link expiry.
  survey_kind: 'transactional' | 'relationship';
  program_name: string | null;
  program_expiry_days: number | null;
  mobile: string | null;
  butler_name: string;
};

export interface ResultRow {
  id: string;
  customer_id: string;
  customer_name: string;
  butler_id: string;
  butler_name: string;
  csat: number;
  nps: number | null;
  reliability: number | null;
  responsiveness: number | null;
  assurance: number | null;
  empathy: number | null;
  tangibles: number | null;
  comment: string;
  responded_at: Date;
  source: InvitationSource;
  channel: Channel;
}

// The surveys' SQL (docs/architecture.md, "Writing SQL"). Methods given an EntityManager run in
// the caller's transaction.
@Injectable()
export class SurveysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Recomputes the report summary from the raw rows inside the caller's transaction, fixing the
  // rows that differ: the butler-days counted and those that drifted.
  async recomputeStats(em: EntityManager): Promise<{ rows: number; drifted: { butler_id: string; day: string }[] }> {
    // Writers wait (readers do not) so no response lands between the count and the fix.
    await em.query(`LOCK TABLE butler_daily_stats IN EXCLUSIVE MODE`);
    // The raw rows are read in (butler, day) order from their covering indexes and grouped as
    // they come (see statsFromRawSql); left to its default costs the planner would rather scan
    // the wide tables and hash every butler-day, several times slower at millions of rows.
    // The joins with the summary hash a few hundred thousand butler-days: enough memory for that.
    await em.query(`SET LOCAL enable_seqscan = off`);
    await em.query(`SET LOCAL work_mem = '256MB'`);
    const differs = STATS_COLUMNS.map((c) => `f.${c} IS DISTINCT FROM s.${c}`).join(' OR ');
    // Compared as it is computed: nothing is written unless a row differs.
    const [{ rows, drifted }]: { rows: number; drifted: { butler_id: string; day: string }[] }[] = await em.query(
      `SELECT count(f.butler_id)::int AS rows,
              COALESCE(json_agg(json_build_object('butler_id', COALESCE(f.butler_id, s.butler_id),
                                                  'day', to_char(COALESCE(f.day, s.day), 'YYYY-MM-DD')))
                         FILTER (WHERE f.butler_id IS NULL OR s.butler_id IS NULL OR ${differs}), '[]') AS drifted
         FROM (${statsFromRawSql()}) f FULL JOIN butler_daily_stats s ON s.butler_id = f.butler_id AND s.day = f.day`,
    );
    if (drifted.length > 0) {
      await em.query(`CREATE TEMP TABLE fresh_stats ON COMMIT DROP AS ${statsFromRawSql()}`);
      await em.query(
        `DELETE FROM butler_daily_stats s
          WHERE NOT EXISTS (SELECT 1 FROM fresh_stats f WHERE f.butler_id = s.butler_id AND f.day = s.day)`,
      );
      await em.query(
        `INSERT INTO butler_daily_stats (butler_id, day, ${STATS_COLUMNS.join(', ')})
         SELECT butler_id, day, ${STATS_COLUMNS.join(', ')} FROM fresh_stats
         ON CONFLICT (butler_id, day) DO UPDATE SET ${STATS_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      );
    }
    return { drifted, rows };
  }

  // A sent invitation counted in its butler's day, in the caller's transaction.
  async addInvitationToStats(em: EntityManager, butlerId: string, day: string, channel: string): Promise<void> {
    await em.query(ADD_INVITATION_SQL, [butlerId, day, channel]);
  }

  // Invitations whose delay has passed, locked (others' locked rows skipped).
  lockDue(em: EntityManager, now: Date, batch: number, cap: { max: number; days: number }): Promise<DueInvitation[]> {
    const capped = contactCapHitSql({ customer: 'c.id', at: '$1::timestamptz', max: '$3::int', days: '$4::int' });
    return em.query(
      `SELECT i.id, i.customer_id, ${contactColumnsSql('c')}, ${capped} AS capped
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id
        WHERE i.status = 'scheduled' AND i.send_at <= $1
          AND (i.program_id IS NULL OR EXISTS (
                SELECT 1 FROM survey_programs p WHERE p.id = i.program_id AND p.status = 'active'))
        ORDER BY i.send_at LIMIT $2 FOR UPDATE OF i SKIP LOCKED`,
      [now, batch, cap.max, cap.days],
    );
  }

  async skipInvitation(em: EntityManager, id: string, reason: string): Promise<void> {
    await em.query(`UPDATE survey_invitations SET status = 'skipped', skip_reason = $2 WHERE id = $1`, [id, reason]);
  }

  async markQueued(em: EntityManager, id: string, messageId: string): Promise<void> {
    await em.query(`UPDATE survey_invitations SET status = 'queued', message_id = $2 WHERE id = $1`, [id, messageId]);
  }

  // The invitation of a message being sent, locked; undefined when there is none. `capped`: the
  // contact cap holds it back at `at` (the message itself not counted).
  async lockQueuedByMessage(
    em: EntityManager,
    messageId: string,
    at: Date,
    cap: { max: number; days: number },
  ): Promise<QueuedInvitation | undefined> {
    const capped = contactCapHitSql({
      customer: 'c.id',
      at: '$2::timestamptz',
      max: '$3::int',
      days: '$4::int',
      exclude: '$1::uuid',
    });
    const [invitation]: QueuedInvitation[] = await em.query(
      `SELECT i.id, i.status, i.butler_id, i.source, i.customer_id, c.name, c.gender, ${contactColumnsSql('c')},
              ${capped} AS capped, u.name AS butler_name, x.kind, i.kind AS survey_kind, p.name AS program_name,
              p.expiry_days AS program_expiry_days
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
         LEFT JOIN interactions x ON x.id = i.interaction_id LEFT JOIN survey_programs p ON p.id = i.program_id
        WHERE i.message_id = $1 FOR UPDATE OF i`,
      [messageId, at, cap.max, cap.days],
    );
    return invitation;
  }

  async markSent(
    em: EntityManager,
    id: string,
    sent: { tokenHash: Buffer; sentAt: Date; expiresAt: Date; channel: string },
  ): Promise<void> {
    await em.query(
      `UPDATE survey_invitations SET status = 'sent', token_hash = $2, sent_at = $3, expires_at = $4, channel = $5
        WHERE id = $1`,
      [id, sent.tokenHash, sent.sentAt, sent.expiresAt, sent.channel],
    );
  }

  // The client's consent and addresses, the row locked (serialises two contacts closing at once).
  async lockContact(em: EntityManager, customerId: string): Promise<ContactRow | undefined> {
    const [customer]: ContactRow[] = await em.query(
      `SELECT ${contactColumnsSql('c')} FROM customers c WHERE c.id = $1 FOR UPDATE`,
      [customerId],
    );
    return customer;
  }

  // Whether the client has a contact's invitation (not skipped) created after `since` (a relationship
  // program's yearly invitation does not hold back the survey of a contact).
  async invitedSince(em: EntityManager, customerId: string, since: Date): Promise<boolean> {
    const recent: unknown[] = await em.query(
      `SELECT 1 FROM survey_invitations
        WHERE customer_id = $1 AND status <> 'skipped' AND created_at > $2 AND kind = 'transactional' LIMIT 1`,
      [customerId, since],
    );
    return recent.length > 0;
  }

  // The new invitation's id; undefined when the contact already has one.
  async insertInvitation(
    em: EntityManager,
    contact: SurveyedContact,
    sendAt: Date,
    now: Date,
  ): Promise<{ id: string } | undefined> {
    const [row]: { id: string }[] = await em.query(
      `INSERT INTO survey_invitations (customer_id, butler_id, interaction_id, source, send_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (interaction_id) DO NOTHING RETURNING id`,
      [contact.customerId, contact.butlerId, contact.interactionId, contact.source, sendAt, now],
    );
    return row;
  }

  async invitationByTokenHash(tokenHash: Buffer): Promise<SurveyInvitationRow | null> {
    const [row]: SurveyInvitationRow[] = await this.dataSource.query(
      `SELECT i.id, i.status, i.customer_id, i.butler_id, i.expires_at, c.name AS customer_name, u.name AS butler_name
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
        WHERE i.token_hash = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  // One page of the results in scope, newest first; `before` is the cursor's (responded at, id).
  async resultsPage(
    access: Scope,
    filter: { butlerId?: string; customerId?: string; detractor?: boolean; before?: [unknown, unknown] },
    take: number,
  ): Promise<ResultRow[]> {
    const p = new SqlParams();
    // The answers about contacts; a relationship program's are in its report.
    const where: string[] = [p.fragment(access.clients('c')), `r.kind = 'transactional'`];
    if (filter.butlerId) where.push(`r.butler_id = ${p.value(filter.butlerId)}`);
    if (filter.customerId) where.push(`r.customer_id = ${p.value(filter.customerId)}`);
    if (filter.detractor !== undefined) where.push(`${filter.detractor ? '' : 'NOT '}${detractorSql('r')}`);
    if (filter.before) {
      const [at, id] = filter.before;
      where.push(`(r.responded_at, r.id) < (${p.value(at)}::timestamptz, ${p.value(id)}::uuid)`);
    }
    const sql = `SELECT r.id, r.customer_id, c.name AS customer_name, r.butler_id, u.name AS butler_name, r.csat, r.nps,
              r.reliability, r.responsiveness, r.assurance, r.empathy, r.tangibles, r.comment, r.responded_at, i.source,
              r.channel
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
         JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
        WHERE ${where.join(' AND ')}
        ORDER BY r.responded_at DESC, r.id DESC LIMIT ${p.value(take)}`;
    return this.dataSource.query(sql, p.values);
  }
}
