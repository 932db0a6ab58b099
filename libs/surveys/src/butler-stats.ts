import type { EntityManager } from 'typeorm';
import { DIMENSION_SUMS } from './entities/butler-daily-stats.entity';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';
import type { SurveyAnswers } from './survey-form';

// One definition of every summary column of a response: its increment for one response (the
// write path) and the same increment as SQL over a survey_responses row `r` (the recompute).
interface ResponseColumn {
  column: string;
  value: (a: SurveyAnswers) => number;
  sql: string;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const DIMENSION_COLUMNS: ResponseColumn[] = SERVQUAL_DIMENSIONS.flatMap((d) => {
  const x = (a: SurveyAnswers): number | null => a.servqual[d];
  const defs: Record<(typeof DIMENSION_SUMS)[number], Omit<ResponseColumn, 'column'>> = {
    Count: { value: (a) => (x(a) === null ? 0 : 1), sql: `(r.${d} IS NOT NULL)::int` },
    Sum: { value: (a) => x(a) ?? 0, sql: `COALESCE(r.${d}, 0)` },
    SqSum: { value: (a) => (x(a) ?? 0) ** 2, sql: `COALESCE(r.${d} * r.${d}, 0)` },
    CsatSum: { value: (a) => (x(a) === null ? 0 : a.csat), sql: `CASE WHEN r.${d} IS NULL THEN 0 ELSE r.csat END` },
    CsatSqSum: { value: (a) => (x(a) === null ? 0 : a.csat * a.csat), sql: `CASE WHEN r.${d} IS NULL THEN 0 ELSE r.csat * r.csat END` },
    CrossSum: { value: (a) => (x(a) ?? 0) * a.csat, sql: `COALESCE(r.${d} * r.csat, 0)` },
  };
  return DIMENSION_SUMS.map((sum) => ({ column: snake(`${d}${sum}`), ...defs[sum] }));
});

export const RESPONSE_COLUMNS: ResponseColumn[] = [
  { column: 'responses', value: () => 1, sql: '1' },
  { column: 'csat_sum', value: (a) => a.csat, sql: 'r.csat' },
  { column: 'csat_sq_sum', value: (a) => a.csat * a.csat, sql: 'r.csat * r.csat' },
  { column: 'csat_satisfied', value: (a) => (a.csat >= 4 ? 1 : 0), sql: '(r.csat >= 4)::int' },
  { column: 'csat_low', value: (a) => (a.csat <= 2 ? 1 : 0), sql: '(r.csat <= 2)::int' },
  { column: 'nps_count', value: (a) => (a.nps === null ? 0 : 1), sql: '(r.nps IS NOT NULL)::int' },
  { column: 'nps_promoters', value: (a) => (a.nps !== null && a.nps >= 9 ? 1 : 0), sql: 'COALESCE((r.nps >= 9)::int, 0)' },
  { column: 'nps_detractors', value: (a) => (a.nps !== null && a.nps <= 6 ? 1 : 0), sql: 'COALESCE((r.nps <= 6)::int, 0)' },
  ...DIMENSION_COLUMNS,
];

// Every counter column of butler_daily_stats, in a fixed order.
export const STATS_COLUMNS = ['invitations', ...RESPONSE_COLUMNS.map((c) => c.column)];

// The upsert that adds `values` to the butler-day row of `butler` and `day` (SQL: parameters, or
// columns of the single row of `from`), creating it if needed. The values are parameters numbered
// from $firstParam, so the upsert can be one part of a larger statement.
function incrementSql(butler: string, day: string, from: string, values: Record<string, number>, firstParam: number): { sql: string; params: number[] } {
  const columns = Object.keys(values);
  return {
    sql: `INSERT INTO butler_daily_stats (butler_id, day, ${columns.join(', ')})
     SELECT ${butler}, ${day}, ${columns.map((_, i) => `$${firstParam + i}::int`).join(', ')} ${from}
     ON CONFLICT (butler_id, day) DO UPDATE SET ${columns.map((c) => `${c} = butler_daily_stats.${c} + EXCLUDED.${c}`).join(', ')}`,
    params: columns.map((c) => values[c]),
  };
}

// Runs in the caller's transaction.
export async function addInvitationToStats(em: EntityManager, butlerId: string, day: string): Promise<void> {
  const { sql, params } = incrementSql('$1::uuid', '$2::date', '', { invitations: 1 }, 3);
  await em.query(sql, [butlerId, day, ...params]);
}

// The summary upsert for one response, as part of a statement (see recordResponseSql): its text,
// the same for every response, and the parameters of one response (in RESPONSE_COLUMNS order).
export function responseStatsSql(butler: string, day: string, from: string, firstParam: number): string {
  return incrementSql(butler, day, from, Object.fromEntries(RESPONSE_COLUMNS.map((c) => [c.column, 0])), firstParam).sql;
}

export function responseStatsParams(answers: SurveyAnswers): number[] {
  return RESPONSE_COLUMNS.map((c) => c.value(answers));
}

// A timestamp's Asia/Shanghai day, written exactly as the recompute indexes declare it (see
// RatingsRecomputeIndexes), so the grouping below reads them in order.
const shanghaiDaySql = (column: string): string => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;

// The whole summary from the raw rows, as a SELECT of (butler_id, day, ...STATS_COLUMNS).
// Invitations (by day sent) and responses are grouped separately, each by (butler_id, day) as it
// reads its covering index in that order (no pass over the wide rows, no hash table of every
// butler-day), and the two results joined.
export function statsFromRawSql(): string {
  return `SELECT COALESCE(i.butler_id, r.butler_id) AS butler_id, COALESCE(i.day, r.day) AS day, COALESCE(i.invitations, 0) AS invitations,
      ${RESPONSE_COLUMNS.map((c) => `COALESCE(r.${c.column}, 0) AS ${c.column}`).join(', ')}
    FROM (
      SELECT butler_id, ${shanghaiDaySql('sent_at')} AS day, count(*)::int AS invitations
        FROM survey_invitations WHERE sent_at IS NOT NULL GROUP BY 1, 2
    ) i FULL JOIN (
      SELECT r.butler_id, ${shanghaiDaySql('r.responded_at')} AS day, ${RESPONSE_COLUMNS.map((c) => `sum(${c.sql})::int AS ${c.column}`).join(', ')}
        FROM survey_responses r GROUP BY 1, 2
    ) r ON r.butler_id = i.butler_id AND r.day = i.day`;
}
