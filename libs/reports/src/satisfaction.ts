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

// The summary rows a period reads: the whole months inside it from the monthly rows ([from, to)
// of month starts) and the days at either end from the daily rows (ranges with both ends included),
// so two years read 24 month rows and at most 60 day rows per group rather than 731.
export interface PeriodParts {
  months: [string, string] | null;
  days: [string, string][];
}

export function periodParts(from: string, to: string): PeriodParts {
  const firstFull = from === monthStart(from) ? from : nextMonth(from);
  const afterTo = shift(to, 1);
  const endFull = afterTo === monthStart(afterTo) ? afterTo : monthStart(to);
  if (firstFull >= endFull) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstFull) days.push([from, shift(firstFull, -1)]);
  if (endFull <= to) days.push([endFull, to]);
  return { months: [firstFull, endFull], days };
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
const perDimension = (f: (d: ServqualDimension) => number | null): Record<ServqualDimension, number | null> =>
  Object.fromEntries(SERVQUAL_DIMENSIONS.map((d) => [d, f(d)])) as Record<ServqualDimension, number | null>;

export function satisfactionFigures(s: SatisfactionSums): SatisfactionFigures {
  const get = (c: string): number => Number(s[c] ?? 0);
  const n = get('responses');
  const suppressed = n < MIN_GROUP_RESPONSES;
  const shown = <T>(value: T): T | null => (suppressed ? null : value);
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
    servqual: perDimension((d) => shown(ratio(get(`${d}_sum`), get(`${d}_count`), 2))),
    expectations: perDimension((d) => shown(ratio(get(`${d}_e_sum`), get(`${d}_e_count`), 2))),
    gaps: perDimension((d) => shown(ratio(get(`${d}_gap_sum`), get(`${d}_gap_count`), 2))),
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
