import { SERVQUAL_DIMENSIONS, type ServqualDimension } from '@app/surveys';

// Satisfaction by client group (issue 18, "Segments"): the pure parts of GET /reports/satisfaction.

// A group with fewer answers than this shows no figures (样本不足): too few to read, and a small
// group (one city's two clients) would all but name its clients.
export const MIN_GROUP_RESPONSES = 5;
// The longest period a report covers.
export const MAX_SATISFACTION_DAYS = 731;

// Days are 'YYYY-MM-DD' (Asia/Shanghai days, as the summary's periods).
const shift = (day: string, days: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const monthStart = (day: string): string => `${day.slice(0, 8)}01`;
const nextMonth = (day: string): string => {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};
// Days of [from, to] (both included) that may have rows, i.e. not after today: what reading them costs.
const daysToRead = (from: string, to: string, today: string): number => {
  const last = to < today ? to : today;
  return last < from ? 0 : (Date.parse(last) - Date.parse(from)) / 86_400_000 + 1;
};

// The summary rows a period reads: the whole months inside it from the monthly rows ([from, to)
// of month starts) and the days at either end from the daily rows (ranges with both ends included),
// so two years read 24 month rows and at most 30 day rows per group rather than 731. An end that
// covers most of its month is read as the month's row less the days it leaves out (`lessDays`; a
// month row is the sum of its day rows, both written by one statement): at most 15 day rows per
// end, and none for a period that ends today (the rest of the month has no rows yet). `today`
// only chooses the cheaper way; both give the same sums.
export interface PeriodParts {
  months: [string, string] | null;
  days: [string, string][];
  lessDays: [string, string][];
}

export function periodParts(from: string, to: string, today: string): PeriodParts {
  const firstFull = from === monthStart(from) ? from : nextMonth(from);
  const afterTo = shift(to, 1);
  const endFull = afterTo === monthStart(afterTo) ? afterTo : monthStart(to);
  let months: [string, string] | null = firstFull < endFull ? [firstFull, endFull] : null;
  // The partial months at the ends (one when the period is inside a month) and their days read.
  const ends: [string, string][] = [];
  if (firstFull > endFull) ends.push([from, to]);
  else {
    if (from < firstFull) ends.push([from, shift(firstFull, -1)]);
    if (endFull <= to) ends.push([endFull, to]);
  }
  const days: [string, string][] = [];
  const lessDays: [string, string][] = [];
  for (const [a, b] of ends) {
    const first = monthStart(a);
    const next = nextMonth(a);
    const left: [string, string][] = [];
    if (a > first) left.push([first, shift(a, -1)]);
    if (b < shift(next, -1)) left.push([shift(b, 1), shift(next, -1)]);
    // The month row is one row more to read; a tie reads the days.
    if (1 + left.reduce((n, [x, y]) => n + daysToRead(x, y, today), 0) < daysToRead(a, b, today)) {
      // The month is next to the whole months (or the other end's month): the range stays one.
      months =
        months === null ? [first, next] : [first < months[0] ? first : months[0], next > months[1] ? next : months[1]];
      lessDays.push(...left);
    } else days.push([a, b]);
  }
  return { months, days, lessDays };
}

export type SatisfactionSums = Record<string, number>;

export interface SatisfactionFigures {
  // Answers in the period (n).
  responses: number;
  invitations: number;
  responseRate: number | null;
  csatPercent: number | null;
  csatMean: number | null;
  nps: number | null;
  servqual: Record<ServqualDimension, number | null>;
  // Relationship answers: mean expectation and mean perception − expectation per dimension, over
  // the answers that gave both; null for transactional answers (no expectations asked).
  expectations: Record<ServqualDimension, number | null>;
  gaps: Record<ServqualDimension, number | null>;
  // Fewer than MIN_GROUP_RESPONSES answers: every figure but the counts is null.
  suppressed: boolean;
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;
const ratio = (a: number, b: number, places: number, scale = 1): number | null =>
  b > 0 ? round((a / b) * scale, places) : null;
// A report lists up to 500 groups (butlers): the column names are made once, not per group, and
// a suppressed group's dimensions are not computed at all.
const DIMENSION_COLUMNS = SERVQUAL_DIMENSIONS.map((d) => ({
  d,
  sum: `${d}_sum`,
  count: `${d}_count`,
  eSum: `${d}_e_sum`,
  eCount: `${d}_e_count`,
  gapSum: `${d}_gap_sum`,
  gapCount: `${d}_gap_count`,
}));
type Columns = (typeof DIMENSION_COLUMNS)[number];
const perDimension = (f: ((c: Columns) => number | null) | null): Record<ServqualDimension, number | null> => {
  const out = {} as Record<ServqualDimension, number | null>;
  for (const c of DIMENSION_COLUMNS) out[c.d] = f === null ? null : f(c);
  return out;
};

export function satisfactionFigures(s: SatisfactionSums): SatisfactionFigures {
  const get = (c: string): number => Number(s[c] ?? 0);
  const n = get('responses');
  const suppressed = n < MIN_GROUP_RESPONSES;
  const shown = <T>(value: T): T | null => (suppressed ? null : value);
  const dimension = (sum: keyof Columns, count: keyof Columns) =>
    suppressed ? null : (c: Columns) => ratio(get(c[sum]), get(c[count]), 2);
  return {
    responses: n,
    invitations: get('invitations'),
    responseRate: ratio(n, get('invitations'), 3),
    csatPercent: shown(ratio(get('csat_satisfied'), n, 1, 100)),
    csatMean: shown(ratio(get('csat_sum'), n, 2)),
    nps: shown(
      get('nps_count') > 0
        ? Math.round(((get('nps_promoters') - get('nps_detractors')) / get('nps_count')) * 100)
        : null,
    ),
    servqual: perDimension(dimension('sum', 'count')),
    expectations: perDimension(dimension('eSum', 'eCount')),
    gaps: perDimension(dimension('gapSum', 'gapCount')),
    suppressed,
  };
}

// The groups' names in Chinese, for the values the summary holds ('' is a value not recorded).
export const GROUP_LABELS: Record<string, Record<string, string>> = {
  tier: { regular: '普通', silver: '白银', gold: '黄金', black: '黑金' },
  gender: { male: '男', female: '女', other: '其他' },
  ageBand: { under30: '30 岁以下', '30s': '30–39 岁', '40s': '40–49 岁', '50s': '50–59 岁', '60plus': '60 岁及以上' },
  channel: { email: '邮件', sms: '短信', wecom: '企业微信' },
};
export const NOT_RECORDED = '未填写';
