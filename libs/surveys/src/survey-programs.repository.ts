import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { contactColumnsSql, type ContactRow, type Tier } from '@app/customers';
import { contactCapHitSql } from '@app/mail/sql';

import type { Comparison } from './entities/relationship-answer.entity';
import type { ProgramSample, SurveyProgramEntity } from './entities/survey-program.entity';
import { SERVQUAL_DIMENSIONS, type ServqualDimension } from './entities/survey-response.entity';
import type { RelationshipAnswers } from './relationship-form';

// Whether a client is in a cycle's sample: a stable pseudo-random fraction in [0, 1) of the program,
// the cycle and the client (the first 32 bits of an MD5), below their tier's share. A re-run of the
// same cycle picks exactly the same clients; another year picks afresh.
export const sampledSql = (program: string, cycle: string, customer: string, share: string): string =>
  `(('x' || substr(md5(${program}::text || ':' || ${cycle}::text || ':' || ${customer}::text), 1, 8))::bit(32)::bigint
     / 4294967296.0 < ${share})`;

// The share of client c's tier in a sample given as a jsonb parameter (NULL: the tier is not asked).
const SHARE_OF_TIER = (param: string): string => `(${param}::jsonb ->> c.tier::text)::float8`;

// An invitation as the relationship page and its answer read it.
export interface RelationshipInvitationRow {
  id: string;
  status: string;
  expires_at: Date | null;
  customer_id: string;
  butler_id: string;
  program_id: string;
  tier: Tier;
  channel: string;
  customer_name: string;
  butler_name: string;
  program_name: string;
  brands: string[];
}

// A reminder due: the invitation and its client's consent and addresses.
export type DueReminder = ContactRow & { id: string; customer_id: string; channel: string };

// A reminder being sent: its invitation, locked, as the renderer needs it.
export type ReminderRow = ContactRow & {
  id: string;
  status: string;
  expires_at: Date | null;
  name: string;
  gender: string | null;
  butler_name: string;
  program_name: string;
  capped: boolean;
};

export interface ProgressRow {
  program_id: string;
  cycle: number | null;
  invited: number;
  pending: number;
  sent: number;
  responded: number;
  skipped: number;
  reminded: number;
  skip_reasons: Record<string, number>;
}

export type ReportRow = {
  tier: Tier | null;
  sent: number;
  responses: number;
  nps_count: number;
  promoters: number;
  detractors: number;
  csat_mean: number | null;
  quality_mean: number | null;
  value_mean: number | null;
  favourability_mean: number | null;
  better: number;
  same: number;
  worse: number;
} & Record<`gap_${ServqualDimension}` | `exp_${ServqualDimension}` | `per_${ServqualDimension}`, number | null> &
  Record<`pairs_${ServqualDimension}`, number>;

export interface BrandRow {
  tier: Tier | null;
  brand: string;
  n: number;
  better: number;
  same: number;
  worse: number;
}

const DIMS = SERVQUAL_DIMENSIONS;

// The relationship programs' SQL (docs/architecture.md, "Writing SQL"): sampling, reminders, the
// answers and the report. Methods given an EntityManager run in the caller's transaction.
@Injectable()
export class SurveyProgramsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Invites a cycle's sample (those not yet invited in it), each with their butler and tier as they
  // are now, due at `now`; `anniversary` (MM-DD): only the clients whose first purchase, in an
  // earlier year, fell on that day (a 29 February one is asked on the 28th in other years).
  async inviteSample(
    em: EntityManager,
    program: Pick<SurveyProgramEntity, 'id' | 'managerId' | 'sample'>,
    cycle: number,
    now: Date,
    anniversary: { day: string; leapYear: boolean } | null,
  ): Promise<number> {
    const params: unknown[] = [program.id, cycle, now, JSON.stringify(program.sample), program.managerId];
    let extra = '';
    if (anniversary) {
      params.push(anniversary.day);
      const md = `to_char(c.first_purchase_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD')`;
      extra = `AND c.first_purchase_at IS NOT NULL
        AND extract(year FROM c.first_purchase_at AT TIME ZONE 'Asia/Shanghai') < $2::smallint
        AND (${md} = $6${!anniversary.leapYear && anniversary.day === '02-28' ? ` OR ${md} = '02-29'` : ''})`;
    }
    const rows: unknown[] = await em.query(
      `INSERT INTO survey_invitations (customer_id, butler_id, kind, program_id, cycle, tier, send_at, created_at)
       SELECT c.id, c.butler_id, 'relationship', $1::uuid, $2::smallint, c.tier, $3::timestamptz, $3::timestamptz
         FROM customers c
        WHERE c.deleted_at IS NULL
          AND ($5::uuid IS NULL OR c.butler_id IN (SELECT u.id FROM users u WHERE u.manager_id = $5::uuid))
          AND ${sampledSql('$1::uuid', '$2::smallint', 'c.id', SHARE_OF_TIER('$4'))}
          ${extra}
       ON CONFLICT (program_id, cycle, customer_id) WHERE program_id IS NOT NULL DO NOTHING
       RETURNING id`,
      params,
    );
    return rows.length;
  }

  async markRun(em: EntityManager, programId: string, day: string): Promise<void> {
    await em.query(`UPDATE survey_programs SET last_run_day = $2 WHERE id = $1`, [programId, day]);
  }

  // Invitations sent before `sentBefore`, unanswered, still open at `now` and not yet reminded.
  dueReminders(
    em: EntityManager,
    programId: string,
    sentBefore: Date,
    now: Date,
    limit: number,
  ): Promise<DueReminder[]> {
    return em.query(
      `SELECT i.id, i.customer_id, i.channel, ${contactColumnsSql('c')}
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id
        WHERE i.program_id = $1 AND i.status = 'sent' AND i.reminded_at IS NULL
          AND i.sent_at <= $2 AND i.expires_at > $3
        ORDER BY i.sent_at LIMIT $4 FOR UPDATE OF i SKIP LOCKED`,
      [programId, sentBefore, now, limit],
    );
  }

  async markReminded(em: EntityManager, id: string, messageId: string | null, at: Date): Promise<void> {
    await em.query(`UPDATE survey_invitations SET reminded_at = $3, reminder_message_id = $2 WHERE id = $1`, [
      id,
      messageId,
      at,
    ]);
  }

  // The invitation a reminder being sent is for, locked; `capped`: the contact cap holds it back.
  async lockReminder(
    em: EntityManager,
    invitationId: string,
    messageId: string,
    at: Date,
    cap: { max: number; days: number },
  ): Promise<ReminderRow | undefined> {
    const capped = contactCapHitSql({
      customer: 'c.id',
      at: '$2::timestamptz',
      max: '$3::int',
      days: '$4::int',
      exclude: '$5::uuid',
    });
    const [row]: ReminderRow[] = await em.query(
      `SELECT i.id, i.status, i.expires_at, c.name, c.gender, ${contactColumnsSql('c')}, ${capped} AS capped,
              u.name AS butler_name, p.name AS program_name
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
         JOIN survey_programs p ON p.id = i.program_id
        WHERE i.id = $1 FOR UPDATE OF i`,
      [invitationId, at, cap.max, cap.days, messageId],
    );
    return row;
  }

  async markReminderSent(em: EntityManager, id: string, tokenHash: Buffer): Promise<void> {
    await em.query(`UPDATE survey_invitations SET reminder_token_hash = $2 WHERE id = $1`, [id, tokenHash]);
  }

  // The relationship invitation a link names (the first link or the reminder's); `lock` in a transaction.
  async invitationByTokenHash(
    em: EntityManager | DataSource,
    tokenHash: Buffer,
    lock = false,
  ): Promise<RelationshipInvitationRow | null> {
    const [row]: RelationshipInvitationRow[] = await em.query(
      `SELECT i.id, i.status, i.expires_at, i.customer_id, i.butler_id, i.program_id, i.tier, i.channel,
              c.name AS customer_name, u.name AS butler_name, p.name AS program_name, p.brands
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
         JOIN survey_programs p ON p.id = i.program_id
        WHERE (i.token_hash = $1 OR i.reminder_token_hash = $1) AND i.kind = 'relationship'
        ${lock ? 'FOR UPDATE OF i' : ''}`,
      [tokenHash],
    );
    return row ?? null;
  }

  readInvitation(tokenHash: Buffer): Promise<RelationshipInvitationRow | null> {
    return this.invitationByTokenHash(this.dataSource, tokenHash);
  }

  // Records an answer to a locked, answerable invitation: the response (kind relationship), its
  // relationship answers, the invitation responded. Returns the response's id.
  async recordAnswer(
    em: EntityManager,
    invitation: RelationshipInvitationRow,
    answers: RelationshipAnswers,
    at: Date,
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await em.query(
      `INSERT INTO survey_responses (invitation_id, customer_id, butler_id, csat, nps, ${DIMS.join(', ')}, comment,
                                     responded_at, channel, kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'relationship') RETURNING id`,
      [
        invitation.id,
        invitation.customer_id,
        invitation.butler_id,
        answers.csat,
        answers.nps,
        ...DIMS.map((d) => answers.perception[d]),
        answers.needs,
        at,
        invitation.channel,
      ],
    );
    await em.query(
      `INSERT INTO survey_relationship_answers (response_id, program_id, tier, quality, value, favourability,
                                                comparison, compared_brands, other_brands,
                                                ${DIMS.map((d) => `expect_${d}`).join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        id,
        invitation.program_id,
        invitation.tier,
        answers.quality,
        answers.value,
        answers.favourability,
        answers.comparison satisfies Comparison | null,
        answers.brands,
        answers.otherBrands,
        ...DIMS.map((d) => answers.expectation[d]),
      ],
    );
    await em.query(`UPDATE survey_invitations SET status = 'responded', responded_at = $2 WHERE id = $1`, [
      invitation.id,
      at,
    ]);
    return id;
  }

  // Each program's progress in its latest cycle (or in `cycle`).
  progress(programIds: string[], cycle?: number): Promise<ProgressRow[]> {
    return this.dataSource.query(
      `WITH latest AS (
         SELECT program_id, ${cycle ? '$2::smallint' : 'max(cycle)'} AS cycle FROM survey_invitations
          WHERE program_id = ANY($1::uuid[]) GROUP BY program_id
       ), counts AS (
         SELECT i.program_id, i.cycle, count(*)::int AS invited,
                count(*) FILTER (WHERE i.status IN ('scheduled', 'queued'))::int AS pending,
                count(*) FILTER (WHERE i.sent_at IS NOT NULL)::int AS sent,
                count(*) FILTER (WHERE i.status = 'responded')::int AS responded,
                count(*) FILTER (WHERE i.status = 'skipped')::int AS skipped,
                count(*) FILTER (WHERE i.reminder_message_id IS NOT NULL)::int AS reminded
           FROM survey_invitations i JOIN latest l ON l.program_id = i.program_id AND l.cycle = i.cycle
          GROUP BY 1, 2
       ), reasons AS (
         SELECT program_id, jsonb_object_agg(skip_reason, n) AS skip_reasons FROM (
           SELECT i.program_id, i.skip_reason, count(*)::int AS n
             FROM survey_invitations i JOIN latest l ON l.program_id = i.program_id AND l.cycle = i.cycle
            WHERE i.status = 'skipped' GROUP BY 1, 2) s
          GROUP BY 1
       )
       SELECT c.*, COALESCE(r.skip_reasons, '{}') AS skip_reasons FROM counts c LEFT JOIN reasons r USING (program_id)`,
      cycle ? [programIds, cycle] : [programIds],
    );
  }

  async cycles(programId: string): Promise<number[]> {
    const rows: { cycle: number }[] = await this.dataSource.query(
      `SELECT DISTINCT cycle FROM survey_invitations WHERE program_id = $1 ORDER BY cycle DESC`,
      [programId],
    );
    return rows.map((r) => r.cycle);
  }

  // The report of one cycle, per tier (frozen on the invitation) and in all (tier null).
  report(programId: string, cycle: number): Promise<ReportRow[]> {
    const dims = DIMS.map((d) => {
      const both = `r.${d} IS NOT NULL AND a.expect_${d} IS NOT NULL`;
      return `avg(r.${d} - a.expect_${d})::float8 AS gap_${d},
              avg(a.expect_${d}) FILTER (WHERE ${both})::float8 AS exp_${d},
              avg(r.${d}) FILTER (WHERE ${both})::float8 AS per_${d},
              count(*) FILTER (WHERE ${both})::int AS pairs_${d}`;
    }).join(',\n');
    return this.dataSource.query(
      `SELECT i.tier::text AS tier,
              count(*) FILTER (WHERE i.sent_at IS NOT NULL)::int AS sent,
              count(r.id)::int AS responses,
              count(r.nps)::int AS nps_count,
              count(*) FILTER (WHERE r.nps >= 9)::int AS promoters,
              count(*) FILTER (WHERE r.nps <= 6)::int AS detractors,
              avg(r.csat)::float8 AS csat_mean,
              avg(a.quality)::float8 AS quality_mean,
              avg(a.value)::float8 AS value_mean,
              avg(a.favourability)::float8 AS favourability_mean,
              count(*) FILTER (WHERE a.comparison = 'better')::int AS better,
              count(*) FILTER (WHERE a.comparison = 'same')::int AS same,
              count(*) FILTER (WHERE a.comparison = 'worse')::int AS worse,
              ${dims}
         FROM survey_invitations i
         LEFT JOIN survey_responses r ON r.invitation_id = i.id
         LEFT JOIN survey_relationship_answers a ON a.response_id = r.id
        WHERE i.program_id = $1 AND i.cycle = $2
        GROUP BY GROUPING SETS ((i.tier), ())
        ORDER BY i.tier NULLS LAST`,
      [programId, cycle],
    );
  }

  // The other brands named, per tier and in all (tier null), with how we compared against them;
  // free-text brands are counted as written (trimmed), comma- or 、-separated.
  brands(programId: string, cycle: number): Promise<BrandRow[]> {
    return this.dataSource.query(
      `WITH named AS (
         SELECT a.tier, a.comparison, b.brand
           FROM survey_relationship_answers a
           JOIN survey_responses r ON r.id = a.response_id JOIN survey_invitations i ON i.id = r.invitation_id
          CROSS JOIN LATERAL (
            SELECT DISTINCT trim(x) AS brand
              FROM unnest(a.compared_brands || regexp_split_to_array(a.other_brands, '[,，、;；/]')) x
             WHERE trim(x) <> '') b
          WHERE a.program_id = $1 AND i.cycle = $2
       )
       SELECT tier::text AS tier, brand, count(*)::int AS n,
              count(*) FILTER (WHERE comparison = 'better')::int AS better,
              count(*) FILTER (WHERE comparison = 'same')::int AS same,
              count(*) FILTER (WHERE comparison = 'worse')::int AS worse
         FROM named GROUP BY GROUPING SETS ((tier, brand), (brand))
        ORDER BY tier NULLS LAST, n DESC, brand`,
      [programId, cycle],
    );
  }

  // How many clients a sample would ask now, per tier (the console's preview before starting).
  samplePreview(
    program: { id: string; managerId: string | null; sample: ProgramSample },
    cycle: number,
  ): Promise<{ tier: Tier; clients: number; sampled: number }[]> {
    return this.dataSource.query(
      `SELECT c.tier::text AS tier, count(*)::int AS clients,
              count(*) FILTER (WHERE ${sampledSql('$1::uuid', '$2::int', 'c.id', SHARE_OF_TIER('$3'))})::int
                AS sampled
         FROM customers c
        WHERE c.deleted_at IS NULL
          AND ($4::uuid IS NULL OR c.butler_id IN (SELECT u.id FROM users u WHERE u.manager_id = $4::uuid))
        GROUP BY 1 ORDER BY 1`,
      [program.id, cycle, JSON.stringify(program.sample), program.managerId],
    );
  }
}
