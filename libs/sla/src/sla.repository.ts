import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { SqlFragment, SqlParams } from '@app/common';
import type { SlaSettingsDto } from '@app/settings';

import type { SlaClock, SlaSubject } from './entities/sla-escalation.entity';
import { SLA_LEVELS, SlaLevel, stepAfterHours } from './sla-rules';

// An escalation step that is due and not yet recorded.
export interface DueStep {
  subject_type: SlaSubject;
  subject_id: string;
  clock: SlaClock;
  level: SlaLevel;
  due_at: Date;
  owner_id: string;
  owner_name: string;
  customer_id: string;
  customer_name: string;
  summary: string;
}

export interface Recipient {
  id: string;
  name: string;
  email: string;
}

export interface RootCauseCount {
  code: string;
  count: number;
}

export interface RecoveryByManagerRow {
  manager_id: string;
  manager_name: string;
  tasks: number;
  resurveyed: number;
  answered: number;
  recovered: number;
}

export interface RootCauseItemRow {
  id: string;
  customer_id: string;
  customer_name: string;
  owner_id: string;
  owner_name: string;
  completed_at: Date;
  recovery_outcome: string | null;
  outcome: string | null;
  note: string;
  response_id: string | null;
  csat: number | null;
  nps: number | null;
  comment: string | null;
  responded_at: Date | null;
  rated_butler_name: string | null;
  case_id: string | null;
  case_summary: string | null;
  case_type: string | null;
  case_priority: string | null;
  case_status: string | null;
  resurvey_status: string | null;
  resurvey_csat: number | null;
  resurvey_at: Date | null;
}

// The report's rows: done recovery tasks completed in [from, to) whose client is in every scope.
export interface ReportFilter {
  from: Date;
  to: Date;
  scopes: SqlFragment[];
}

const DRILL_DOWN_LIMIT = 500;

// The SLA's SQL (docs/architecture.md, "Writing SQL"): the due steps over cases and recovery tasks
// (read, never written here: their owners mark them), the escalation steps, and the root-cause report.
@Injectable()
export class SlaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // The escalation steps due at `now` and not yet recorded, oldest first: each open case past its
  // priority's first-response or resolution hours, each open recovery task past its hours, with
  // each step (level) whose delay after the breach has passed.
  async dueSteps(sla: SlaSettingsDto, now: Date, limit: number): Promise<DueStep[]> {
    const rules = Object.entries(sla.cases).map(([priority, hours]) => ({
      priority,
      fr: hours.firstResponseHours,
      res: hours.resolutionHours,
    }));
    const levels = SLA_LEVELS.map((level) => ({ level, after: stepAfterHours(sla, level) }));
    return this.dataSource.query(
      `WITH rules AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(priority text, fr int, res int)
       ), levels AS (
         SELECT * FROM jsonb_to_recordset($4::jsonb) AS l(level int, after int)
       ), subject AS (
         SELECT 'case' AS subject_type, k.id AS subject_id, 'first_response' AS clock,
                k.opened_at + make_interval(hours => r.fr) AS due_at, k.butler_id AS owner_id, k.customer_id,
                k.summary
           FROM cases k JOIN rules r ON r.priority = k.priority::text
          WHERE k.status = 'open' AND k.first_response_at IS NULL AND k.opened_at + make_interval(hours => r.fr) <= $1
         UNION ALL
         SELECT 'case', k.id, 'resolution', k.opened_at + make_interval(hours => r.res), k.butler_id, k.customer_id,
                k.summary
           FROM cases k JOIN rules r ON r.priority = k.priority::text
          WHERE k.status IN ('open', 'in_progress') AND k.opened_at + make_interval(hours => r.res) <= $1
         UNION ALL
         SELECT 'follow_up', f.id, 'recovery', f.created_at + make_interval(hours => $3::int), f.butler_id,
                f.customer_id, f.title
           FROM follow_ups f
          WHERE f.kind = 'recovery' AND f.status = 'open' AND f.created_at + make_interval(hours => $3::int) <= $1
       )
       SELECT s.subject_type, s.subject_id, s.clock, l.level, s.due_at, s.owner_id, o.name AS owner_name,
              s.customer_id, c.name AS customer_name, s.summary
         FROM subject s JOIN levels l ON s.due_at + make_interval(hours => l.after) <= $1
         JOIN users o ON o.id = s.owner_id JOIN customers c ON c.id = s.customer_id
        WHERE c.deleted_at IS NULL AND NOT EXISTS (
                SELECT 1 FROM sla_escalations e
                 WHERE e.subject_type = s.subject_type AND e.subject_id = s.subject_id
                   AND e.clock = s.clock AND e.level = l.level)
        ORDER BY s.due_at + make_interval(hours => l.after), s.subject_id, s.clock, l.level
        LIMIT $5`,
      [now, JSON.stringify(rules), sla.recoveryHours, JSON.stringify(levels), limit],
    );
  }

  // Records a step inside the caller's transaction; false when it exists (another worker took it:
  // the unique step waits for that worker's commit, then does nothing).
  async insertStep(em: EntityManager, step: DueStep, now: Date): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO sla_escalations (subject_type, subject_id, clock, level, due_at, escalated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (subject_type, subject_id, clock, level) DO NOTHING RETURNING id`,
      [step.subject_type, step.subject_id, step.clock, step.level, step.due_at, now],
    );
    return rows[0]?.id ?? null;
  }

  async setAlert(em: EntityManager, id: string, recipientId: string | null, messageIds: string[]): Promise<void> {
    await em.query(`UPDATE sla_escalations SET recipient_id = $2, message_ids = $3::uuid[] WHERE id = $1`, [
      id,
      recipientId,
      messageIds,
    ]);
  }

  // Who a step alerts: 1 the owner, 2 the owner's manager, 3 the first active admin; null when that
  // person is inactive, missing or was alerted by an earlier step of the same breach.
  async recipient(em: EntityManager, step: DueStep): Promise<Recipient | null> {
    const rows: Recipient[] = await em.query(
      `SELECT u.id, u.name, u.email FROM users u
        WHERE u.active AND CASE $2::int
                WHEN 1 THEN u.id = $1
                WHEN 2 THEN u.id = (SELECT manager_id FROM users WHERE id = $1)
                ELSE u.role = 'admin' END
          AND NOT EXISTS (SELECT 1 FROM sla_escalations e
                           WHERE e.subject_type = $3 AND e.subject_id = $4 AND e.clock = $5 AND e.level < $2
                             AND e.recipient_id = u.id)
        ORDER BY u.created_at LIMIT 1`,
      [step.owner_id, step.level, step.subject_type, step.subject_id, step.clock],
    );
    return rows[0] ?? null;
  }

  async rootCauseCounts(filter: ReportFilter): Promise<RootCauseCount[]> {
    const p = new SqlParams();
    return this.dataSource.query(
      `SELECT f.root_cause AS code, count(*)::int AS count
         FROM follow_ups f JOIN customers c ON c.id = f.customer_id
        WHERE ${doneRecoveryIn(p, filter)}
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      p.values,
    );
  }

  // Per owner of the recovery tasks (the managers who called back): tasks done, re-surveys asked,
  // answered, and answered 4–5 (recovered).
  async recoveryByManager(filter: ReportFilter): Promise<RecoveryByManagerRow[]> {
    const p = new SqlParams();
    return this.dataSource.query(
      `SELECT f.butler_id AS manager_id, u.name AS manager_name, count(*)::int AS tasks,
              count(ri.id)::int AS resurveyed, count(rr.id)::int AS answered,
              count(rr.id) FILTER (WHERE rr.csat >= 4)::int AS recovered
         FROM follow_ups f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.butler_id
         LEFT JOIN survey_invitations ri ON ri.interaction_id = f.interaction_id AND ri.source = 'recovery'
         LEFT JOIN survey_responses rr ON rr.invitation_id = ri.id
        WHERE ${doneRecoveryIn(p, filter)}
        GROUP BY 1, 2 ORDER BY 2, 1`,
      p.values,
    );
  }

  // The tasks behind one bar, with the low answer that opened each, the case that answer was about
  // (when the surveyed contact was a case's resolution) and the re-survey's answer.
  async rootCauseItems(filter: ReportFilter, code: string): Promise<RootCauseItemRow[]> {
    const p = new SqlParams();
    const where = doneRecoveryIn(p, filter);
    return this.dataSource.query(
      `SELECT f.id, f.customer_id, c.name AS customer_name, f.butler_id AS owner_id, o.name AS owner_name,
              f.completed_at, f.recovery_outcome, f.outcome, f.note,
              sr.id AS response_id, sr.csat, sr.nps, sr.comment, sr.responded_at, rb.name AS rated_butler_name,
              k.id AS case_id, k.summary AS case_summary, k.type AS case_type, k.priority AS case_priority,
              k.status AS case_status, ri.status AS resurvey_status, rr.csat AS resurvey_csat,
              rr.responded_at AS resurvey_at
         FROM follow_ups f JOIN customers c ON c.id = f.customer_id JOIN users o ON o.id = f.butler_id
         LEFT JOIN survey_responses sr ON sr.id = f.survey_response_id
         LEFT JOIN users rb ON rb.id = sr.butler_id
         LEFT JOIN survey_invitations si ON si.id = sr.invitation_id
         LEFT JOIN interactions it ON it.id = si.interaction_id
         LEFT JOIN cases k ON k.id = it.case_id
         LEFT JOIN survey_invitations ri ON ri.interaction_id = f.interaction_id AND ri.source = 'recovery'
         LEFT JOIN survey_responses rr ON rr.invitation_id = ri.id
        WHERE ${where} AND f.root_cause = ${p.value(code)}
        ORDER BY f.completed_at DESC, f.id LIMIT ${DRILL_DOWN_LIMIT}`,
      p.values,
    );
  }
}

function doneRecoveryIn(p: SqlParams, filter: ReportFilter): string {
  return `f.kind = 'recovery' AND f.status = 'done' AND f.root_cause IS NOT NULL
    AND f.completed_at >= ${p.value(filter.from)} AND f.completed_at < ${p.value(filter.to)}
    AND ${filter.scopes.map((scope) => p.fragment(scope)).join(' AND ')}`;
}
