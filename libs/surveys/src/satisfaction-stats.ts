import { shanghaiDaySql } from '@app/common';

import { NPS_DETRACTOR_MAX } from './detractor';
import { SERVQUAL_DIMENSIONS } from './entities/survey-response.entity';

// The satisfaction summary by client group (issue 18, "Segments"): table satisfaction_stats, owned
// by this library, written only through the statement parts below, in the transaction that sends an
// invitation or records an answer. docs/segments.md describes it.

export const SATISFACTION_KINDS = ['transactional', 'relationship'] as const;
export type SatisfactionKind = (typeof SATISFACTION_KINDS)[number];

// What a report can group by. team and butler are the butler's (frozen on the invitation) and the
// team they were in when the answer was given; the rest are the client's, frozen at the same moment.
export const SATISFACTION_GROUPS = [
  'team',
  'butler',
  'tier',
  'city',
  'gender',
  'ageBand',
  'channel',
  'aroma',
  'segment',
] as const;
export type SatisfactionGroup = (typeof SATISFACTION_GROUPS)[number];

export const AGE_BANDS = ['under30', '30s', '40s', '50s', '60plus'] as const;

// The scope every team's rows are counted in; a team's own rows carry its manager's id.
export const ALL_TEAMS_SCOPE = '*';

const PER_DIMENSION = ['count', 'sum', 'e_count', 'e_sum', 'gap_count', 'gap_sum'] as const;

export const SATISFACTION_COUNTERS = [
  'invitations',
  'responses',
  'csat_sum',
  'csat_satisfied',
  'nps_count',
  'nps_promoters',
  'nps_detractors',
  ...SERVQUAL_DIMENSIONS.flatMap((d) => PER_DIMENSION.map((s) => `${d}_${s}`)),
];

// The attribute columns a fact carries, in the order of SATISFACTION_GROUPS (the grouping's column
// in satisfaction_stats.dim is the group's name).
const FACT_KEYS: Record<SatisfactionGroup, string> = {
  team: 'team',
  butler: 'butler_id::text',
  tier: 'tier',
  city: 'city',
  gender: 'gender',
  ageBand: 'age_band',
  channel: 'channel',
  aroma: 'aroma',
  segment: 'segment',
};

// A response's counters over a row `r` with csat, nps and the five SERVQUAL perceptions, and the
// expectations as `<dimension>_expectation` when `withExpectations` (relationship answers); a
// transactional answer has none, so its gaps stay empty. `invitations`: what the fact adds to the
// invitations (0: an answer is counted when its invitation is sent; 1 for a fixture that is both).
export function responseCountersSql(r: string, withExpectations: boolean, invitations = 0): string {
  const dims = SERVQUAL_DIMENSIONS.flatMap((d) => {
    const p = `${r}.${d}`;
    const e = withExpectations ? `${r}.${d}_expectation` : 'NULL::smallint';
    return [
      `(${p} IS NOT NULL)::int`,
      `COALESCE(${p}, 0)`,
      `(${e} IS NOT NULL)::int`,
      `COALESCE(${e}, 0)`,
      `(${p} IS NOT NULL AND ${e} IS NOT NULL)::int`,
      `COALESCE(${p} - ${e}, 0)`,
    ];
  });
  return [
    String(invitations),
    '1',
    `${r}.csat`,
    `(${r}.csat >= 4)::int`,
    `(${r}.nps IS NOT NULL)::int`,
    `COALESCE((${r}.nps >= 9)::int, 0)`,
    `COALESCE((${r}.nps <= ${NPS_DETRACTOR_MAX})::int, 0)`,
    ...dims,
  ]
    .map((sql, i) => `${sql} AS ${SATISFACTION_COUNTERS[i]}`)
    .join(', ');
}

// An invitation sent: only its count.
export function invitationCountersSql(): string {
  return SATISFACTION_COUNTERS.map((c) => `${c === 'invitations' ? 1 : 0} AS ${c}`).join(', ');
}

// The RFM cut points of the client base (see libs/insights/src/rfm.ts): a measure is "high"
// (score ≥ 3) when more than the cut's value; a null cut means every client is high (a base of
// one). Read from the base at most every few minutes (SegmentCuts) and passed as parameters.
export interface RfmCuts {
  recency: Date | null;
  frequency: number | null;
  monetary: number | null;
}

export const NO_RFM_CUTS: RfmCuts = { recency: null, frequency: null, monetary: null };

// The client attributes a fact is grouped by, frozen at `at` (SQL of a timestamptz), over the client
// `c`, their taste profile `t` (may be missing) and the butler `u`; `cuts` names three SQL
// parameters: the RFM cut points (timestamptz, int, bigint).
export function clientAttributesSql(
  c: string,
  t: string,
  u: string,
  at: string,
  cuts: [string, string, string],
): string {
  const [recency, frequency, monetary] = cuts;
  const high = (column: string, cut: string): string => `(${cut} IS NULL OR ${c}.${column} > ${cut})`;
  const age = `(extract(year from (${at}) AT TIME ZONE 'Asia/Shanghai')::int - ${c}.birthday_year)`;
  return `COALESCE(${u}.manager_id, ${u}.id)::text AS team,
    ${c}.tier::text AS tier,
    COALESCE(NULLIF(btrim(${c}.city), ''), '') AS city,
    COALESCE(${c}.gender::text, '') AS gender,
    CASE WHEN ${c}.birthday_year IS NULL THEN ''
         WHEN ${age} < 30 THEN 'under30' WHEN ${age} < 40 THEN '30s' WHEN ${age} < 50 THEN '40s'
         WHEN ${age} < 60 THEN '50s' ELSE '60plus' END AS age_band,
    COALESCE((SELECT a->>'type' FROM jsonb_array_elements(${t}.aromas) a
               ORDER BY (a->>'weight')::numeric DESC NULLS LAST LIMIT 1), '') AS aroma,
    CASE WHEN ${c}.purchase_count = 0 OR ${c}.last_purchase_at IS NULL THEN 'new'
         ELSE CASE WHEN ${high('total_spent_fen', monetary)} THEN 'important_' ELSE 'general_' END
           || CASE WHEN ${high('last_purchase_at', recency)}
                   THEN CASE WHEN ${high('purchase_count', frequency)} THEN 'value' ELSE 'development' END
                   ELSE CASE WHEN ${high('purchase_count', frequency)} THEN 'retention' ELSE 'winback' END END
    END AS segment`;
}

// Adds facts to the summary. `facts` is a SELECT of (kind, day, butler_id, channel, team, tier, city,
// gender, age_band, aroma, segment, ...SATISFACTION_COUNTERS); each fact is counted under every
// grouping, in its team's scope and in every team's, for its day and its month. Rows are written in
// key order, so two statements adding at once lock them in the same order.
export function addToSatisfactionSql(facts: string): string {
  const groups = SATISFACTION_GROUPS.map((g) => `('${g}', f.${FACT_KEYS[g]})`).join(', ');
  const sums = SATISFACTION_COUNTERS.map((c) => `sum(f.${c})::int`).join(', ');
  const add = SATISFACTION_COUNTERS.map((c) => `${c} = satisfaction_stats.${c} + EXCLUDED.${c}`).join(', ');
  return `INSERT INTO satisfaction_stats (kind, dim, scope, grain, period, value, ${SATISFACTION_COUNTERS.join(', ')})
    SELECT f.kind, k.dim, s.scope, g.grain,
           CASE g.grain WHEN 'd' THEN f.day ELSE date_trunc('month', f.day)::date END, k.value, ${sums}
      FROM (${facts}) f
     CROSS JOIN LATERAL (VALUES ${groups}) k(dim, value)
     CROSS JOIN LATERAL (VALUES ('${ALL_TEAMS_SCOPE}'), (f.team)) s(scope)
     CROSS JOIN (VALUES ('d'), ('m')) g(grain)
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (kind, dim, scope, grain, period, value) DO UPDATE SET ${add}`;
}

// The facts of answers just recorded, as a SELECT over `responses` (a relation of survey_responses'
// columns plus `kind`, and `<dimension>_expectation` when `withExpectations`), their client and
// butler read as they are at this moment; $-parameters `cuts` as in clientAttributesSql.
export function responseFactsSql(responses: string, withExpectations: boolean, cuts: [string, string, string]): string {
  return `SELECT r.kind, ${shanghaiDaySql('r.responded_at')} AS day, r.butler_id, r.channel,
      ${clientAttributesSql('c', 't', 'u', 'r.responded_at', cuts)}, ${responseCountersSql('r', withExpectations)}
    FROM ${responses} r JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
    LEFT JOIN taste_profiles t ON t.customer_id = r.customer_id`;
}

// One invitation sent ($1 invitation id, $2 sent at, $3 channel, $4 kind, $5–$7 the RFM cuts).
export const ADD_INVITATION_TO_SATISFACTION_SQL = addToSatisfactionSql(
  `SELECT $4::text AS kind, ${shanghaiDaySql('$2::timestamptz')} AS day, i.butler_id, $3::text AS channel,
      ${clientAttributesSql('c', 't', 'u', '$2::timestamptz', ['$5::timestamptz', '$6::int', '$7::bigint'])},
      ${invitationCountersSql()}
    FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.butler_id
    LEFT JOIN taste_profiles t ON t.customer_id = i.customer_id WHERE i.id = $1`,
);

// Answers given to a survey ($1 their survey_responses ids, $2 their kind: only answers of that
// kind count; $3–$7 the five expectations per answer, NULL where not asked, in the order of $1; $8–$10 the RFM cuts).
export const ADD_RESPONSES_TO_SATISFACTION_SQL = addToSatisfactionSql(
  responseFactsSql(
    `(SELECT r.*, ${SERVQUAL_DIMENSIONS.map((d) => `x.${d}_expectation`).join(', ')}
        FROM unnest($1::uuid[], ${SERVQUAL_DIMENSIONS.map((_, i) => `$${3 + i}::smallint[]`).join(', ')})
          AS x(id, ${SERVQUAL_DIMENSIONS.map((d) => `${d}_expectation`).join(', ')})
        JOIN survey_responses r ON r.id = x.id AND r.kind = $2::text)`,
    true,
    ['$8::timestamptz', '$9::int', '$10::bigint'],
  ),
);
