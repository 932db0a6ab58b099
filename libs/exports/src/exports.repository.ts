import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { Scope } from '@app/access';
import { SqlParams } from '@app/common';

// Rows as arrays (pg's rowMode 'array'), in the order of each SELECT below.
export type ExportRow = unknown[];

export interface ExportPeriod {
  // Inclusive start and exclusive end, or open.
  from: Date | null;
  to: Date | null;
}

// A Shanghai local time as text, computed by PostgreSQL (no Date objects per row on our side).
const local = (column: string): string => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;

// The themes of a comment, "taste:negative,price:positive" (libs/comment-themes' table, read here).
const themes = (source: 'survey' | 'case', idColumn: string): string =>
  `(SELECT string_agg(t.theme || ':' || t.polarity, ',' ORDER BY t.theme) FROM comment_themes t
     WHERE t.source = '${source}' AND t.source_id = ${idColumn})`;

function period(p: SqlParams, column: string, range: ExportPeriod): string[] {
  const where: string[] = [];
  if (range.from) where.push(`${column} >= ${p.value(range.from)}::timestamptz`);
  if (range.to) where.push(`${column} < ${p.value(range.to)}::timestamptz`);
  return where;
}

// The responses export's statement (also what bench/exports.bench.ts reads raw, as its ceiling).
export function responsesQuery(access: Scope, range: ExportPeriod): { sql: string; values: unknown[] } {
  const p = new SqlParams();
  const where = [p.fragment(access.clients('c')), ...period(p, 'r.responded_at', range)];
  const sql = `SELECT r.id, ${local('r.responded_at')}, c.name, c.tier, c.city, u.name, m.name, i.source, r.channel,
            r.csat, r.nps, r.reliability, r.responsiveness, r.assurance, r.empathy, r.tangibles, r.comment,
            ${themes('survey', 'r.id')}, r.flagged, r.integrity_reasons, r.flag_cleared_at IS NOT NULL
       FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
       JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
       LEFT JOIN users m ON m.id = u.manager_id
      WHERE ${where.join(' AND ')}
      ORDER BY r.responded_at, r.id`;
  return { sql, values: p.values };
}

// The reads behind the exports (docs/exports-webhooks.md). Each is a server-side cursor on a
// connection of its own, read FETCH by FETCH as the download goes: memory holds one batch, however
// many rows. What the caller may see is the access policy's condition, as everywhere else.
@Injectable()
export class ExportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Survey responses: the butler frozen on the answer, the client's tier and city, the channel the
  // invitation went by, the comment's themes.
  responses(access: Scope, range: ExportPeriod, batch: number): AsyncGenerator<ExportRow[]> {
    const { sql, values } = responsesQuery(access, range);
    return this.cursor(sql, values, batch);
  }

  // After-sales cases: their handling butler, times, and the summary's themes.
  cases(access: Scope, range: ExportPeriod, batch: number): AsyncGenerator<ExportRow[]> {
    const p = new SqlParams();
    const where = [p.fragment(access.clients('c')), ...period(p, 'k.opened_at', range)];
    const sql = `SELECT k.id, ${local('k.opened_at')}, c.name, c.tier, c.city, u.name, m.name, k.type, k.priority,
              k.channel, k.status, k.summary, ${local('k.first_response_at')}, ${local('k.resolved_at')},
              ${local('k.closed_at')}, ${themes('case', 'k.id')}
         FROM cases k JOIN customers c ON c.id = k.customer_id JOIN users u ON u.id = k.butler_id
         LEFT JOIN users m ON m.id = u.manager_id
        WHERE ${where.join(' AND ')}
        ORDER BY k.opened_at, k.id`;
    return this.cursor(sql, p.values, batch);
  }

  // Follow-ups the caller may see (the policy's follow-up rule), with whether each is overdue now.
  followUps(access: Scope, range: ExportPeriod, now: Date, batch: number): AsyncGenerator<ExportRow[]> {
    const p = new SqlParams();
    const where = [p.fragment(access.followUps('f', 'c')), 'c.deleted_at IS NULL', ...period(p, 'f.due_at', range)];
    const sql = `SELECT f.id, ${local('f.due_at')}, c.name, c.tier, c.city, u.name, m.name, f.kind, f.title, f.status,
              (f.status = 'open' AND f.due_at < ${p.value(now)}::timestamptz), ${local('f.completed_at')},
              f.outcome, f.note
         FROM follow_ups f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.butler_id
         LEFT JOIN users m ON m.id = u.manager_id
        WHERE ${where.join(' AND ')}
        ORDER BY f.due_at, f.id`;
    return this.cursor(sql, p.values, batch);
  }

  // Reads `sql` through a cursor in a read-only transaction (one snapshot for the whole file), a
  // batch per FETCH. Ending early (the download was cut off) rolls back and frees the connection.
  async *cursor(sql: string, values: unknown[], batch: number): AsyncGenerator<ExportRow[]> {
    const client = await this.pool().connect();
    let finished = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The whole result is read: plan for all of it, not for the first rows; and no JIT, whose
      // compilation cost more than a second of a 100,000-row export (measured).
      await client.query('SET LOCAL cursor_tuple_fraction = 1');
      await client.query('SET LOCAL jit = off');
      await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, values);
      for (;;) {
        const result = await client.query<ExportRow>({ text: `FETCH ${batch} FROM export_rows`, rowMode: 'array' });
        if (result.rows.length > 0) yield result.rows;
        if (result.rows.length < batch) break;
      }
      await client.query('COMMIT');
      finished = true;
    } finally {
      if (!finished) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}
