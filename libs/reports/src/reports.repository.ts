import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { Scope } from '@app/access';
import { shanghaiDaysBetweenSql, shanghaiDaySql, shanghaiDayStartSql, SqlParams } from '@app/common';
import { atRiskSql } from '@app/customers';
import type { Settings } from '@app/settings';
import { detractorSql, SATISFACTION_COUNTERS, STATS_COLUMNS } from '@app/surveys';

import type { PeriodParts } from './satisfaction';

export interface ButlerRow {
  id: string;
  name: string;
  // Their team: its manager and the team's region.
  manager_id: string | null;
  manager_name: string | null;
  region: string | null;
}

export interface OperationsRow {
  key: string;
  follow_ups_considered: number;
  follow_ups_on_time: number;
  overdue: number;
  median_first_response_hours: number | null;
  median_resolution_hours: number | null;
}

export type SumsRow = Record<string, number> & { key: string };

export type Interval = 'week' | 'month';

export interface ChurnSqlRow {
  id: string;
  name: string;
  tier: string;
  butler_id: string;
  butler_name: string;
  purchase_count: number;
  total_spent_fen: string;
  first_purchase_at: Date | null;
  last_purchase_at: Date | null;
  last_detractor_at: Date | null;
  wecom_removed_at: Date | null;
  recency_days: number | null;
  detractor_at: Date | null;
  detractor_nps: number | null;
  detractor_csat: number | null;
}

// Every counter of the summary, summed (float8: pg returns numbers, and sums of a quarter of a
// large team overflow nothing).
const SUMS = STATS_COLUMNS.map((c) => `sum(${c})::float8 AS ${c}`).join(', ');

// Report queries. Survey figures read the per-butler-per-day summary; follow-up and case figures
// read their own (much smaller) tables through the butler/time indexes. Days are Asia/Shanghai.
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // The butlers the caller may see (the access policy), or just one of them.
  butlers(scope: Scope, butlerId: string | null): Promise<ButlerRow[]> {
    const visible = scope.users('u').at(2);
    return this.dataSource.query(
      `SELECT u.id, u.name, u.manager_id, m.name AS manager_name, m.region
         FROM users u LEFT JOIN users m ON m.id = u.manager_id
        WHERE u.role = 'butler' AND ${visible.sql} AND ($1::uuid IS NULL OR u.id = $1) ORDER BY u.name, u.id`,
      [butlerId, ...visible.params],
    );
  }

  // The satisfaction summary's sums per group value of one grouping (`dim`) in one scope ('*' or a
  // team's manager id): the whole months from the monthly rows, the ends from the daily rows (or a
  // month's row less the days it leaves out), each a range of the primary key. A group is listed
  // when it has rows in the period (every row counts an invitation or an answer): a month read
  // whole and its days taken away leave zeros for a group whose rows were all on those days.
  async satisfactionSums(kind: string, dim: string, scope: string, parts: PeriodParts): Promise<SumsRow[]> {
    const params: unknown[] = [kind, dim, scope];
    const ranges: string[] = [];
    // Transactional answers have no expectations: their gap columns are all zero, not read.
    const counters = SATISFACTION_COUNTERS.filter((c) => kind === 'relationship' || !/_(e|gap)_/.test(c));
    const range = (grain: 'd' | 'm', from: string, to: string, toIncluded: boolean, sign: '' | '-' = ''): void => {
      params.push(from, to);
      ranges.push(
        `SELECT value, ${counters.map((c) => `${sign}${c} AS ${c}`).join(', ')} FROM satisfaction_stats
          WHERE kind = $1 AND dim = $2 AND scope = $3 AND grain = '${grain}'
            AND period >= $${params.length - 1}::date AND period ${toIncluded ? '<=' : '<'} $${params.length}::date`,
      );
    };
    if (parts.months) range('m', parts.months[0], parts.months[1], false);
    for (const [from, to] of parts.days) range('d', from, to, true);
    for (const [from, to] of parts.lessDays) range('d', from, to, true, '-');
    const sums = counters.map((c) => `sum(${c})::float8 AS ${c}`).join(', ');
    const having = parts.lessDays.length > 0 ? ' HAVING sum(invitations) <> 0 OR sum(responses) <> 0' : '';
    // A few thousand rows read by primary-key ranges: parallel workers cost more to start than they save.
    return this.dataSource.transaction(async (em) => {
      await em.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      return em.query(
        `SELECT value AS key, ${sums} FROM (${ranges.join(' UNION ALL ')}) s GROUP BY value${having}`,
        params,
      );
    });
  }

  // The teams (managers) the caller may see, with their region.
  teams(scope: Scope): Promise<{ id: string; name: string; region: string | null }[]> {
    const visible = scope.users('u').at(1);
    return this.dataSource.query(
      `SELECT u.id, u.name, u.region FROM users u WHERE u.role = 'manager' AND ${visible.sql} ORDER BY u.name, u.id`,
      visible.params,
    );
  }

  // Names (and regions) of staff by id, for the groups of a report.
  userNames(ids: string[]): Promise<{ id: string; name: string; region: string | null }[]> {
    return this.dataSource.query(`SELECT id, name, region FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  }

  // Summary sums per butler over [from, to] (days, inclusive).
  sumsByButler(butlerIds: string[], from: string, to: string): Promise<SumsRow[]> {
    return this.dataSource.query(
      `SELECT butler_id::text AS key, ${SUMS} FROM butler_daily_stats
        WHERE butler_id = ANY($1) AND day BETWEEN $2 AND $3 GROUP BY butler_id`,
      [butlerIds, from, to],
    );
  }

  // Summary sums of one butler per week (ISO, from Monday) or month.
  sumsByPeriod(butlerId: string, interval: Interval, from: string, to: string): Promise<SumsRow[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('${interval}', day), 'YYYY-MM-DD') AS key, ${SUMS}
         FROM butler_daily_stats WHERE butler_id = $1 AND day BETWEEN $2 AND $3 GROUP BY 1`,
      [butlerId, from, to],
    );
  }

  // All of a team's (or everyone's) summary over a period, one row: the drivers report.
  sumsOverall(butlerIds: string[], from: string, to: string): Promise<SumsRow[]> {
    return this.dataSource.query(
      `SELECT 'all' AS key, ${SUMS} FROM butler_daily_stats WHERE butler_id = ANY($1) AND day BETWEEN $2 AND $3`,
      [butlerIds, from, to],
    );
  }

  // Follow-ups due in the period (not cancelled, not yet due excluded) and how many were done by
  // the end of their due day; open ones overdue now; median case first-response and resolution
  // hours over cases opened in the period. Grouped by butler, or by period for one butler.
  // Only follow-ups of clients still on the books count, as in the follow-up lists: deleting a
  // client cancels its open ones, but clients deleted before that rule left theirs open.
  operations(
    groupBy: { butlers: string[] } | { butlerId: string; interval: Interval },
    from: string,
    to: string,
    now: Date,
  ): Promise<OperationsRow[]> {
    const byButler = 'butlers' in groupBy;
    const fKey = byButler
      ? 'f.butler_id::text'
      : `to_char(date_trunc('${groupBy.interval}', ${shanghaiDaySql('f.due_at')}), 'YYYY-MM-DD')`;
    const cKey = byButler
      ? 'k.butler_id::text'
      : `to_char(date_trunc('${groupBy.interval}', ${shanghaiDaySql('k.opened_at')}), 'YYYY-MM-DD')`;
    const who = byButler ? groupBy.butlers : [groupBy.butlerId];
    return this.dataSource.query(
      `WITH f AS (
         SELECT ${fKey} AS key,
                count(*) FILTER (WHERE f.status = 'done' OR f.due_at < $4)::int AS follow_ups_considered,
                count(*) FILTER (WHERE f.status = 'done'
                                   AND ${shanghaiDaySql('f.completed_at')} <= ${shanghaiDaySql('f.due_at')}
                                )::int AS follow_ups_on_time,
                0 AS overdue
           FROM follow_ups f JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
          WHERE f.butler_id = ANY($1) AND f.status <> 'cancelled'
            AND f.due_at >= ${shanghaiDayStartSql('$2::date')} AND f.due_at < ${shanghaiDayStartSql('($3::date + 1)')}
          GROUP BY 1
       ), o AS (
         SELECT ${byButler ? 'f.butler_id::text' : `'now'`} AS key, count(*)::int AS overdue
           FROM follow_ups f JOIN customers c ON c.id = f.customer_id AND c.deleted_at IS NULL
          WHERE f.butler_id = ANY($1) AND f.status = 'open' AND f.due_at < $4 GROUP BY 1
       ), k AS (
         SELECT ${cKey} AS key,
                percentile_cont(0.5)
                  WITHIN GROUP (ORDER BY extract(epoch FROM k.first_response_at - k.opened_at) / 3600)
                  AS median_first_response_hours,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k.resolved_at - k.opened_at) / 3600)
                  AS median_resolution_hours
           FROM cases k
          WHERE k.butler_id = ANY($1)
            AND k.opened_at >= ${shanghaiDayStartSql('$2::date')}
            AND k.opened_at < ${shanghaiDayStartSql('($3::date + 1)')}
          GROUP BY 1
       )
       SELECT COALESCE(f.key, o.key, k.key) AS key, COALESCE(f.follow_ups_considered, 0) AS follow_ups_considered,
              COALESCE(f.follow_ups_on_time, 0) AS follow_ups_on_time, COALESCE(o.overdue, 0) AS overdue,
              k.median_first_response_hours, k.median_resolution_hours
         FROM f FULL JOIN o ON o.key = f.key FULL JOIN k ON k.key = COALESCE(f.key, o.key)`,
      [who, from, to, now],
    );
  }

  // One page of the at-risk clients in scope, the longest-lapsed first; `after` is the cursor's
  // (last purchase, id).
  async churnPage(
    access: Scope,
    churn: Settings['churn'],
    now: Date,
    filter: { butlerId?: string; after?: [unknown, unknown] },
    take: number,
  ): Promise<ChurnSqlRow[]> {
    const p = new SqlParams();
    const scope = p.fragment(access.clients('c'));
    const risk = p.fragment(atRiskSql('c', churn, now));
    let extra = '';
    if (filter.butlerId) extra += ` AND c.butler_id = ${p.value(filter.butlerId)}`;
    if (filter.after) {
      const [at, id] = filter.after;
      extra += ` AND (COALESCE(c.last_purchase_at, '-infinity'), c.id)
                   > (${p.value(at)}::timestamptz, ${p.value(id)}::uuid)`;
    }
    const recency = shanghaiDaysBetweenSql('c.last_purchase_at', `${p.value(now.toISOString())}::timestamptz`);
    const sql = `SELECT c.id, c.name, c.tier, c.butler_id, u.name AS butler_name, c.purchase_count, c.total_spent_fen,
              c.first_purchase_at,
              c.last_purchase_at, c.last_detractor_at, c.wecom_removed_at,
              CASE WHEN c.last_purchase_at IS NULL THEN NULL ELSE ${recency} END AS recency_days,
              d.responded_at AS detractor_at, d.nps AS detractor_nps, d.csat AS detractor_csat,
              COALESCE(c.last_purchase_at, '-infinity') AS sort_at
         FROM customers c JOIN users u ON u.id = c.butler_id
         LEFT JOIN LATERAL (SELECT r.responded_at, r.nps, r.csat FROM survey_responses r
                             WHERE c.last_detractor_at IS NOT NULL AND r.customer_id = c.id AND ${detractorSql('r')}
                             ORDER BY r.responded_at DESC LIMIT 1) d ON TRUE
        WHERE ${scope} AND ${risk}${extra}
        ORDER BY COALESCE(c.last_purchase_at, '-infinity'), c.id LIMIT ${p.value(take)}`;
    return this.dataSource.query(sql, p.values);
  }
}
