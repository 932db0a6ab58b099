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

// Adds to one butler-day row, creating it if needed; runs in the caller's transaction.
async function increment(em: EntityManager, butlerId: string, day: string, values: Record<string, number>): Promise<void> {
  const columns = Object.keys(values);
  const placeholders = columns.map((_, i) => `$${i + 3}`);
  await em.query(
    `INSERT INTO butler_daily_stats (butler_id, day, ${columns.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')})
     ON CONFLICT (butler_id, day) DO UPDATE SET ${columns.map((c) => `${c} = butler_daily_stats.${c} + EXCLUDED.${c}`).join(', ')}`,
    [butlerId, day, ...columns.map((c) => values[c])],
  );
}

export function addInvitationToStats(em: EntityManager, butlerId: string, day: string): Promise<void> {
  return increment(em, butlerId, day, { invitations: 1 });
}

export function addResponseToStats(em: EntityManager, butlerId: string, day: string, answers: SurveyAnswers): Promise<void> {
  return increment(em, butlerId, day, Object.fromEntries(RESPONSE_COLUMNS.map((c) => [c.column, c.value(answers)])));
}

// The whole summary from the raw rows, as a SELECT of (butler_id, day, ...STATS_COLUMNS).
export function statsFromRawSql(): string {
  const zeros = RESPONSE_COLUMNS.map((c) => `0 AS ${c.column}`).join(', ');
  const responseExprs = RESPONSE_COLUMNS.map((c) => `${c.sql} AS ${c.column}`).join(', ');
  return `SELECT butler_id, day, ${STATS_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')} FROM (
      SELECT i.butler_id, (i.sent_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 1 AS invitations, ${zeros}
        FROM survey_invitations i WHERE i.sent_at IS NOT NULL
      UNION ALL
      SELECT r.butler_id, (r.responded_at AT TIME ZONE 'Asia/Shanghai')::date AS day, 0 AS invitations, ${responseExprs}
        FROM survey_responses r
    ) raw GROUP BY butler_id, day`;
}
