import { shanghaiDaySql } from '@app/common';
import { CHANNELS } from '@app/mail';

import { LOW_CSAT_MAX, NPS_DETRACTOR_MAX } from './detractor';
import { DIMENSION_SUMS } from './entities/butler-daily-stats.entity';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';

// One definition of every summary column of a response: its increment as SQL over a
// survey_responses row `r`, summed by the write path (over the rows it inserts) and by the
// recompute (over all of them) alike.
interface ResponseColumn {
  column: string;
  sql: string;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const DIMENSION_COLUMNS: ResponseColumn[] = SERVQUAL_DIMENSIONS.flatMap((d) => {
  const defs: Record<(typeof DIMENSION_SUMS)[number], string> = {
    Count: `(r.${d} IS NOT NULL)::int`,
    Sum: `COALESCE(r.${d}, 0)`,
    SqSum: `COALESCE(r.${d} * r.${d}, 0)`,
    CsatSum: `CASE WHEN r.${d} IS NULL THEN 0 ELSE r.csat END`,
    CsatSqSum: `CASE WHEN r.${d} IS NULL THEN 0 ELSE r.csat * r.csat END`,
    CrossSum: `COALESCE(r.${d} * r.csat, 0)`,
  };
  return DIMENSION_SUMS.map((sum) => ({ column: snake(`${d}${sum}`), sql: defs[sum] }));
});

const COUNTED_COLUMNS: ResponseColumn[] = [
  { column: 'responses', sql: '1' },
  { column: 'csat_sum', sql: 'r.csat' },
  { column: 'csat_sq_sum', sql: 'r.csat * r.csat' },
  { column: 'csat_satisfied', sql: '(r.csat >= 4)::int' },
  { column: 'csat_low', sql: `(r.csat <= ${LOW_CSAT_MAX})::int` },
  { column: 'nps_count', sql: '(r.nps IS NOT NULL)::int' },
  { column: 'nps_promoters', sql: 'COALESCE((r.nps >= 9)::int, 0)' },
  { column: 'nps_detractors', sql: `COALESCE((r.nps <= ${NPS_DETRACTOR_MAX})::int, 0)` },
  ...DIMENSION_COLUMNS,
  // Responses by the channel their invitation went by (r.channel, copied from the invitation).
  ...CHANNELS.map((ch) => ({ column: `responses_${ch}`, sql: `(r.channel = '${ch}')::int` })),
];

// A flagged answer (rating integrity, integrity.ts) counts in no figure, only in `flagged`: the
// answers held out until a manager clears them.
export const RESPONSE_COLUMNS: ResponseColumn[] = [
  ...COUNTED_COLUMNS.map((c) => ({ column: c.column, sql: `CASE WHEN r.flagged THEN 0 ELSE ${c.sql} END` })),
  { column: 'flagged', sql: 'r.flagged::int' },
];

// Clearing one answer's flag ($1: its id, already cleared): its figures move from `flagged` to the
// counted columns of its butler-day, as the difference of the two states' increments.
export function clearedFlagStatsSql(): string {
  const sums = RESPONSE_COLUMNS.map((c) => `sum(r.sign * (${c.sql}))::int`).join(', ');
  const dims = SERVQUAL_DIMENSIONS.map((d) => `x.${d}`).join(', ');
  return addToStatsSql(
    `SELECT r.butler_id, ${shanghaiDaySql('r.responded_at')}, ${sums}
       FROM (SELECT x.butler_id, x.responded_at, x.csat, x.nps, ${dims}, x.channel, v.flagged, v.sign
               FROM survey_responses x CROSS JOIN (VALUES (false, 1), (true, -1)) v(flagged, sign)
              WHERE x.id = $1) r
      GROUP BY 1, 2`,
    RESPONSE_COLUMNS.map((c) => c.column),
  );
}

// Invitations sent, in all and by channel: each column's increment over a survey_invitations row `i`.
export const INVITATION_COLUMNS: ResponseColumn[] = [
  { column: 'invitations', sql: '1' },
  ...CHANNELS.map((ch) => ({ column: `invitations_${ch}`, sql: `(i.channel = '${ch}')::int` })),
];

// Every counter column of butler_daily_stats, in a fixed order.
export const STATS_COLUMNS = [...INVITATION_COLUMNS.map((c) => c.column), ...RESPONSE_COLUMNS.map((c) => c.column)];

// Adds the rows of `select` (butler_id, day, then one value per column) to the butler-day rows,
// creating those missing.
export function addToStatsSql(select: string, columns: string[]): string {
  const sums = columns.map((c) => `${c} = butler_daily_stats.${c} + EXCLUDED.${c}`).join(', ');
  return `INSERT INTO butler_daily_stats (butler_id, day, ${columns.join(', ')}) ${select}
    ON CONFLICT (butler_id, day) DO UPDATE SET ${sums}`;
}

// One sent invitation ($1 butler, $2 day, $3 channel), with the same increments as the recompute.
export const ADD_INVITATION_SQL = addToStatsSql(
  `SELECT $1::uuid, $2::date, ${INVITATION_COLUMNS.map((c) => c.sql).join(', ')} FROM (SELECT $3::text AS channel) i`,
  INVITATION_COLUMNS.map((c) => c.column),
);

// A timestamp's Asia/Shanghai day (@app/common), as the recompute indexes declare it.
export { shanghaiDaySql };

// The whole summary from the raw rows (transactional ones: a relationship program's answers are
// about the brand and never reach a butler's scorecard), as a SELECT of (butler_id, day, ...STATS_COLUMNS).
// Invitations (by day sent) and responses are grouped separately, each by (butler_id, day) as it
// reads its covering index in that order (no pass over the wide rows, no hash table of every
// butler-day), and the two results joined.
export function statsFromRawSql(): string {
  const responseSums = RESPONSE_COLUMNS.map((c) => `sum(${c.sql})::int AS ${c.column}`).join(', ');
  const invitationSums = INVITATION_COLUMNS.map((c) => `sum(${c.sql})::int AS ${c.column}`).join(', ');
  return `SELECT COALESCE(i.butler_id, r.butler_id) AS butler_id, COALESCE(i.day, r.day) AS day,
      ${INVITATION_COLUMNS.map((c) => `COALESCE(i.${c.column}, 0) AS ${c.column}`).join(', ')},
      ${RESPONSE_COLUMNS.map((c) => `COALESCE(r.${c.column}, 0) AS ${c.column}`).join(', ')}
    FROM (
      SELECT i.butler_id, ${shanghaiDaySql('i.sent_at')} AS day, ${invitationSums}
        FROM survey_invitations i WHERE i.sent_at IS NOT NULL AND i.kind = 'transactional' GROUP BY 1, 2
    ) i FULL JOIN (
      SELECT r.butler_id, ${shanghaiDaySql('r.responded_at')} AS day, ${responseSums}
        FROM survey_responses r WHERE r.kind = 'transactional' GROUP BY 1, 2
    ) r ON r.butler_id = i.butler_id AND r.day = i.day`;
}
