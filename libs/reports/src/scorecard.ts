import { Channel, CHANNELS } from '@app/mail';
import { SERVQUAL_DIMENSIONS, ServqualDimension } from '@app/surveys';

// Sums of the summary table for one butler (or one period), as read by the reports.
export type StatsSums = Record<string, number>;

// Invitations and responses of one channel (the invitation's: email, sms, wecom).
export interface ChannelFigures {
  channel: Channel;
  invitations: number;
  responses: number;
  responseRate: number | null;
}

export interface SurveyFigures {
  invitations: number;
  responses: number;
  // responses / invitations of the same period (answers may come in the period after the email).
  responseRate: number | null;
  csatMean: number | null;
  // Share of answers 4–5, in %.
  csatPercent: number | null;
  // % of 9–10 minus % of 0–6, over answers with an NPS.
  nps: number | null;
  servqual: Record<ServqualDimension, number | null>;
  // The same invitations and responses by channel, every channel listed.
  byChannel: ChannelFigures[];
  // Answers held out of every figure above by rating integrity (flagged, not cleared).
  flaggedResponses: number;
  rankScore: number | null;
  rankMethod: 'wilson';
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;
const ratio = (a: number, b: number, places: number, scale = 1): number | null =>
  b > 0 ? round((a / b) * scale, places) : null;

// Lower bound of the 95% Wilson score interval of a proportion: what we can be confident the
// butler's satisfied share is at least. 2 of 2 satisfied gives 0.34, 190 of 200 gives 0.91, so
// a butler with a handful of answers does not outrank one with hundreds.
export function wilsonLowerBound(successes: number, n: number, z = 1.96): number | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

export function surveyFigures(s: StatsSums): SurveyFigures {
  const n = s.responses ?? 0;
  const wilson = wilsonLowerBound(s.csat_satisfied ?? 0, n);
  return {
    invitations: s.invitations ?? 0,
    responses: n,
    responseRate: ratio(n, s.invitations ?? 0, 3),
    csatMean: ratio(s.csat_sum ?? 0, n, 2),
    csatPercent: ratio(s.csat_satisfied ?? 0, n, 1, 100),
    nps: ratio((s.nps_promoters ?? 0) - (s.nps_detractors ?? 0), s.nps_count ?? 0, 1, 100),
    servqual: Object.fromEntries(
      SERVQUAL_DIMENSIONS.map((d) => [d, ratio(s[`${d}_sum`] ?? 0, s[`${d}_count`] ?? 0, 2)]),
    ) as Record<ServqualDimension, number | null>,
    byChannel: CHANNELS.map((channel) => {
      const invitations = s[`invitations_${channel}`] ?? 0;
      const responses = s[`responses_${channel}`] ?? 0;
      return { channel, invitations, responses, responseRate: ratio(responses, invitations, 3) };
    }),
    flaggedResponses: s.flagged ?? 0,
    rankScore: wilson === null ? null : round(wilson, 3),
    rankMethod: 'wilson',
  };
}

export interface DriverFigure {
  dimension: ServqualDimension;
  // Pearson correlation of the dimension's answers with the same responses' CSAT; with one
  // predictor this is also the standardised regression slope. Null below 3 answers or with no
  // spread in either variable.
  correlation: number | null;
  // How much CSAT moves per point of the dimension (simple regression slope).
  slope: number | null;
  responses: number;
  mean: number | null;
}

export function driverFigures(s: StatsSums): DriverFigure[] {
  return SERVQUAL_DIMENSIONS.map((d) => {
    const n = s[`${d}_count`] ?? 0;
    const sx = s[`${d}_sum`] ?? 0;
    const sxx = s[`${d}_sq_sum`] ?? 0;
    const sy = s[`${d}_csat_sum`] ?? 0;
    const syy = s[`${d}_csat_sq_sum`] ?? 0;
    const sxy = s[`${d}_cross_sum`] ?? 0;
    const vx = n * sxx - sx * sx;
    const vy = n * syy - sy * sy;
    const cov = n * sxy - sx * sy;
    const valid = n >= 3 && vx > 0 && vy > 0;
    return {
      dimension: d,
      correlation: valid ? round(cov / Math.sqrt(vx * vy), 3) : null,
      slope: n >= 3 && vx > 0 ? round(cov / vx, 3) : null,
      responses: n,
      mean: ratio(sx, n, 2),
    };
  }).sort((a, b) => (b.correlation ?? -2) - (a.correlation ?? -2));
}
