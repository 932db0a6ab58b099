// RFM (recency, frequency, monetary) scoring against the whole client base: every client who has
// bought at least once and is not deleted.

export type RfmScore = 1 | 2 | 3 | 4 | 5;

export interface RfmScores {
  recency: RfmScore;
  frequency: RfmScore;
  monetary: RfmScore;
}

// How many clients of the base rank strictly below this one on each measure (older last purchase,
// fewer purchases, less spent), and how big the base is. Counted in SQL on the client columns.
export interface RfmRanks {
  base: number;
  recencyBelow: number;
  frequencyBelow: number;
  monetaryBelow: number;
}

export const RFM_SEGMENT_KEYS = [
  'important_value',
  'important_development',
  'important_retention',
  'important_winback',
  'general_value',
  'general_development',
  'general_retention',
  'general_winback',
  'new',
] as const;
export type RfmSegmentKey = (typeof RFM_SEGMENT_KEYS)[number];

export const RFM_SEGMENT_NAMES: Record<RfmSegmentKey, string> = {
  important_value: '重要价值客户',
  important_development: '重要发展客户',
  important_retention: '重要保持客户',
  important_winback: '重要挽留客户',
  general_value: '一般价值客户',
  general_development: '一般发展客户',
  general_retention: '一般保持客户',
  general_winback: '一般挽留客户',
  new: '新客户',
};

export interface RfmSegment {
  key: RfmSegmentKey;
  name: string;
}

// A score of 3 or more counts as "high" in the 8-cell model.
export const RFM_HIGH = 3;

// Quintile of the percent rank, as PostgreSQL's PERCENT_RANK(): clients strictly below / (base - 1),
// so ties share the lower rank (every one-purchase client scores F = 1), the top client scores 5 and
// the bottom one 1. Integer arithmetic, so a rank of exactly 0.2 is a 2, not a float accident.
export function quintileScore(below: number, base: number): RfmScore {
  // Alone in the base there is no one to compare with: the middle score.
  if (base <= 1) return 3;
  const clamped = Math.min(Math.max(below, 0), base - 1);
  return Math.min(5, 1 + Math.floor((clamped * 5) / (base - 1))) as RfmScore;
}

// How many clients of the base must rank strictly below a client for a score of RFM_HIGH or more:
// quintileScore's condition solved for `below` (a base of one: nobody, its score is 3). Others
// classify clients by the value at this position without counting each one (the segment reports).
export function rfmHighPosition(base: number): number {
  if (base <= 1) return 0;
  return Math.ceil(((RFM_HIGH - 1) * (base - 1)) / 5);
}

export function rfmScores(ranks: RfmRanks): RfmScores {
  return {
    recency: quintileScore(ranks.recencyBelow, ranks.base),
    frequency: quintileScore(ranks.frequencyBelow, ranks.base),
    monetary: quintileScore(ranks.monetaryBelow, ranks.base),
  };
}

// Indexed by [R high][F high][M high]: money decides 重要 vs 一般, recency and frequency the rest.
const CELLS: Record<'hi' | 'lo', Record<'hi' | 'lo', Record<'hi' | 'lo', RfmSegmentKey>>> = {
  hi: {
    hi: { hi: 'important_value', lo: 'general_value' },
    lo: { hi: 'important_development', lo: 'general_development' },
  },
  lo: {
    hi: { hi: 'important_retention', lo: 'general_retention' },
    lo: { hi: 'important_winback', lo: 'general_winback' },
  },
};

const level = (score: RfmScore): 'hi' | 'lo' => (score >= RFM_HIGH ? 'hi' : 'lo');

// A client who never bought has no scores and is a new client.
export function rfmSegment(scores: RfmScores | null): RfmSegment {
  const key = scores ? CELLS[level(scores.recency)][level(scores.frequency)][level(scores.monetary)] : 'new';
  return { key, name: RFM_SEGMENT_NAMES[key] };
}
