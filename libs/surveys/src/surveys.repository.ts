import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { Scope } from '@app/access';
import { SqlParams } from '@app/common';
import { contactColumnsSql, type ContactRow } from '@app/customers';
import type { Channel } from '@app/mail';
import { contactCapHitSql } from '@app/mail/sql';

import { ADD_INVITATION_SQL, clearedFlagStatsSql, STATS_COLUMNS, statsFromRawSql } from './butler-stats';
import { detractorSql } from './detractor';
import type { InvitationSource } from './entities/survey-invitation.entity';
import { SERVQUAL_DIMENSIONS, type ServqualDimension } from './entities/survey-response.entity';
import type { IntegrityReason } from './integrity';
import type { SurveyInvitationRow } from './response-batcher';
import {
  ADD_INVITATION_TO_SATISFACTION_SQL,
  ADD_RESPONSES_TO_SATISFACTION_SQL,
  RfmCuts,
  SatisfactionKind,
} from './satisfaction-stats';
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
  flagged: boolean;
  integrity_reasons: IntegrityReason[];
  flag_cleared_at: Date | null;
  flag_cleared_by_name: string | null;
  flag_clear_note: string | null;
  themes: { key: string; polarity: string }[] | null;
}

export interface LockedResponse {
  id: string;
  customer_id: string;
  butler_id: string;
  flagged: boolean;
  integrity_reasons: IntegrityReason[];
}

export interface ResultsFilter {
  responseId?: string;
  butlerId?: string;
  customerId?: string;
  detractor?: boolean;
  // Flagged now (true), or not flagged now (false).
  flagged?: boolean;
  // With a theme among the comment's (comment_themes), of that stance when given.
  theme?: string;
  polarity?: string;
  before?: [unknown, unknown];
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

  // A sent invitation counted in the satisfaction summary by client group, in the caller's transaction.
  async addInvitationToSatisfaction(
    em: EntityManager,
    invitation: { id: string; sentAt: Date; channel: string; kind: SatisfactionKind },
    cuts: RfmCuts,
  ): Promise<void> {
    await em.query(ADD_INVITATION_TO_SATISFACTION_SQL, [
      invitation.id,
      invitation.sentAt,
      invitation.channel,
      invitation.kind,
      cuts.recency,
      cuts.frequency,
      cuts.monetary,
    ]);
  }

  // Recorded answers counted in the satisfaction summary by client group, in the caller's transaction
  // (the transactional answers' batch statement does the same itself).
  async addResponsesToSatisfaction(
    em: EntityManager,
    kind: SatisfactionKind,
    responses: { id: string; expectations: Partial<Record<ServqualDimension, number | null>> }[],
    cuts: RfmCuts,
  ): Promise<void> {
    if (responses.length === 0) return;
    await em.query(ADD_RESPONSES_TO_SATISFACTION_SQL, [
      responses.map((r) => r.id),
      kind,
      ...SERVQUAL_DIMENSIONS.map((d) => responses.map((r) => r.expectations[d] ?? null)),
      cuts.recency,
      cuts.frequency,
      cuts.monetary,
    ]);
  }

  // The client base's RFM cut points (libs/insights/src/rfm.ts): a client scores 3 or more on a
  // measure when at least rfmHighPosition(base) clients of the base rank strictly below them, i.e.
  // when their value is above the value at that position in ascending order (0-based: position − 1).
  async rfmCuts(highPosition: (base: number) => number): Promise<RfmCuts> {
    const [{ base }]: { base: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS base FROM customers WHERE deleted_at IS NULL AND purchase_count > 0`,
    );
    const position = highPosition(base);
    if (base === 0 || position === 0) return { recency: null, frequency: null, monetary: null };
    const at = (column: string): string =>
      `(SELECT ${column} FROM customers WHERE deleted_at IS NULL AND purchase_count > 0
         ORDER BY ${column} OFFSET $1 LIMIT 1)`;
    const [row]: { recency: Date; frequency: number; monetary: string }[] = await this.dataSource.query(
      `SELECT ${at('last_purchase_at')} AS recency, ${at('purchase_count')} AS frequency,
              ${at('total_spent_fen')} AS monetary`,
      [position - 1],
    );
    return { recency: row.recency, frequency: row.frequency, monetary: Number(row.monetary) };
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
    sent: { tokenHash: Buffer; sentAt: Date; expiresAt: Date; channel: string; integrityReasons: IntegrityReason[] },
  ): Promise<void> {
    await em.query(
      `UPDATE survey_invitations SET status = 'sent', token_hash = $2, sent_at = $3, expires_at = $4, channel = $5,
              integrity_reasons = $6::jsonb
        WHERE id = $1`,
      [id, sent.tokenHash, sent.sentAt, sent.expiresAt, sent.channel, JSON.stringify(sent.integrityReasons)],
    );
  }

  // What rating integrity checks when an invitation goes out (integrity.ts): the contact's time,
  // the last time the rated butler changed the address it goes to (`field`; entering it with a new
  // client is not a change) from `days` before the contact until `now`, and, for a completed
  // follow-up of theirs, when it was due and completed.
  // Reads the owners' tables: customer_address_changes (customers), follow_ups, interactions.
  async integrityFacts(
    em: EntityManager,
    invitationId: string,
    field: string,
    now: Date,
    days: number,
  ): Promise<
    { occurred_at: Date; address_changed_at: Date | null; due_at: Date | null; completed_at: Date | null } | undefined
  > {
    const [row]: {
      occurred_at: Date;
      address_changed_at: Date | null;
      due_at: Date | null;
      completed_at: Date | null;
    }[] = await em.query(
      `SELECT x.occurred_at,
              (SELECT max(a.changed_at) FROM customer_address_changes a
                WHERE a.customer_id = i.customer_id AND a.field = $2 AND a.changed_by = i.butler_id
                  AND a.source <> 'create'
                  AND a.changed_at >= x.occurred_at - make_interval(days => $3::int) AND a.changed_at <= $4
              ) AS address_changed_at,
              f.due_at, f.completed_at
         FROM survey_invitations i JOIN interactions x ON x.id = i.interaction_id
         LEFT JOIN follow_ups f ON f.id = x.follow_up_id AND f.butler_id = i.butler_id AND f.completed_at IS NOT NULL
        WHERE i.id = $1`,
      [invitationId, field, days, now],
    );
    return row;
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
      `SELECT i.id, i.status, i.customer_id, i.butler_id, i.expires_at, c.name AS customer_name, u.name AS butler_name,
              i.source
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
        WHERE i.token_hash = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  // One page of the results in scope, newest first; `before` is the cursor's (responded at, id).
  // The comment's themes are read from comment_themes (libs/comment-themes owns it).
  async resultsPage(access: Scope, filter: ResultsFilter, take: number): Promise<ResultRow[]> {
    const p = new SqlParams();
    // The answers about contacts; a relationship program's are in its report.
    const where: string[] = [p.fragment(access.clients('c')), `r.kind = 'transactional'`];
    if (filter.responseId) where.push(`r.id = ${p.value(filter.responseId)}`);
    if (filter.butlerId) where.push(`r.butler_id = ${p.value(filter.butlerId)}`);
    if (filter.customerId) where.push(`r.customer_id = ${p.value(filter.customerId)}`);
    if (filter.detractor !== undefined) where.push(`${filter.detractor ? '' : 'NOT '}${detractorSql('r')}`);
    if (filter.flagged !== undefined) where.push(`${filter.flagged ? '' : 'NOT '}r.flagged`);
    if (filter.theme || filter.polarity) {
      const conditions = [`t.source = 'survey'`, `t.source_id = r.id`];
      if (filter.theme) conditions.push(`t.theme = ${p.value(filter.theme)}`);
      if (filter.polarity) conditions.push(`t.polarity = ${p.value(filter.polarity)}`);
      where.push(`EXISTS (SELECT 1 FROM comment_themes t WHERE ${conditions.join(' AND ')})`);
    }
    if (filter.before) {
      const [at, id] = filter.before;
      where.push(`(r.responded_at, r.id) < (${p.value(at)}::timestamptz, ${p.value(id)}::uuid)`);
    }
    const sql = `SELECT r.id, r.customer_id, c.name AS customer_name, r.butler_id, u.name AS butler_name, r.csat, r.nps,
              r.reliability, r.responsiveness, r.assurance, r.empathy, r.tangibles, r.comment, r.responded_at, i.source,
              r.channel, r.flagged, r.integrity_reasons, r.flag_cleared_at, k.name AS flag_cleared_by_name,
              r.flag_clear_note,
              (SELECT json_agg(json_build_object('key', t.theme, 'polarity', t.polarity) ORDER BY t.theme)
                 FROM comment_themes t WHERE t.source = 'survey' AND t.source_id = r.id) AS themes
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
         JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
         LEFT JOIN users k ON k.id = r.flag_cleared_by
        WHERE ${where.join(' AND ')}
        ORDER BY r.responded_at DESC, r.id DESC LIMIT ${p.value(take)}`;
    return this.dataSource.query(sql, p.values);
  }

  // The answer, locked, for a manager clearing its flag.
  async lockResponse(em: EntityManager, id: string): Promise<LockedResponse | undefined> {
    const [row]: LockedResponse[] = await em.query(
      `SELECT id, customer_id, butler_id, flagged, integrity_reasons FROM survey_responses WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  // Clears a flagged answer's flag and moves it into its butler-day's figures, in the caller's
  // transaction (the answer locked by lockResponse).
  async clearFlag(em: EntityManager, id: string, by: string, at: Date, note: string): Promise<void> {
    await em.query(
      `UPDATE survey_responses SET flagged = false, flag_cleared_at = $3, flag_cleared_by = $2, flag_clear_note = $4
        WHERE id = $1 AND flagged`,
      [id, by, at, note],
    );
    await em.query(clearedFlagStatsSql(), [id]);
  }
}
