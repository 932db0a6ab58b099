import { periodParts, satisfactionFigures } from './satisfaction';

// A "today" long after every period below: every day may have rows.
const LATER = '2099-12-31';

describe('periodParts', () => {
  it('reads whole months from the monthly rows and the ends from the daily rows', () => {
    expect(periodParts('2026-01-17', '2026-04-10', LATER)).toEqual({
      months: ['2026-02-01', '2026-04-01'],
      days: [
        ['2026-01-17', '2026-01-31'],
        ['2026-04-01', '2026-04-10'],
      ],
      lessDays: [],
    });
  });

  it('needs no days when the period is whole months, across a year end and a leap February', () => {
    expect(periodParts('2027-12-01', '2028-02-29', LATER)).toEqual({
      months: ['2027-12-01', '2028-03-01'],
      days: [],
      lessDays: [],
    });
  });

  it('reads an end covering most of its month as the month less the days left out', () => {
    // 2026-01-05..31 is 27 days: January's row less 1–4; April 1–25 is April's row less 26–30.
    expect(periodParts('2026-01-05', '2026-04-25', LATER)).toEqual({
      months: ['2026-01-01', '2026-05-01'],
      days: [],
      lessDays: [
        ['2026-01-01', '2026-01-04'],
        ['2026-04-26', '2026-04-30'],
      ],
    });
    // The bench's period: 10 days of November 2024 read, November 2026 less its last 10 days.
    expect(periodParts('2024-11-21', '2026-11-20', LATER)).toEqual({
      months: ['2024-12-01', '2026-12-01'],
      days: [['2024-11-21', '2024-11-30']],
      lessDays: [['2026-11-21', '2026-11-30']],
    });
    // A tie (15 days read, or the month and 15 days) reads the days.
    expect(periodParts('2026-04-16', '2026-04-30', LATER).days).toEqual([['2026-04-16', '2026-04-30']]);
  });

  it('reads days only within one month or two partial ones, unless the month less its other days is fewer', () => {
    expect(periodParts('2026-03-02', '2026-03-30', LATER)).toEqual({
      months: ['2026-03-01', '2026-04-01'],
      days: [],
      lessDays: [
        ['2026-03-01', '2026-03-01'],
        ['2026-03-31', '2026-03-31'],
      ],
    });
    expect(periodParts('2026-03-10', '2026-03-20', LATER)).toEqual({
      months: null,
      days: [['2026-03-10', '2026-03-20']],
      lessDays: [],
    });
    expect(periodParts('2026-03-20', '2026-04-10', LATER)).toEqual({
      months: null,
      days: [
        ['2026-03-20', '2026-03-31'],
        ['2026-04-01', '2026-04-10'],
      ],
      lessDays: [],
    });
    expect(periodParts('2026-03-31', '2026-03-31', LATER)).toEqual({
      months: null,
      days: [['2026-03-31', '2026-03-31']],
      lessDays: [],
    });
  });

  it('counts no cost for days after today: a period ending today reads its month less the empty rest', () => {
    // The default 30 days ending 2026-11-20: October 22–31 as days, November's row less 21–30.
    expect(periodParts('2026-10-22', '2026-11-20', '2026-11-20')).toEqual({
      months: ['2026-11-01', '2026-12-01'],
      days: [['2026-10-22', '2026-10-31']],
      lessDays: [['2026-11-21', '2026-11-30']],
    });
    // Two days in, still the month (nothing after today to take away costs a read).
    expect(periodParts('2026-11-01', '2026-11-03', '2026-11-03')).toEqual({
      months: ['2026-11-01', '2026-12-01'],
      days: [],
      lessDays: [['2026-11-04', '2026-11-30']],
    });
  });
});

describe('satisfactionFigures', () => {
  it('divides the sums: CSAT % of 4–5, mean, NPS, SERVQUAL means and P − E gaps', () => {
    const f = satisfactionFigures({
      invitations: 10,
      responses: 8,
      csat_sum: 34,
      csat_satisfied: 7,
      nps_count: 8,
      nps_promoters: 5,
      nps_detractors: 1,
      reliability_count: 4,
      reliability_sum: 18,
      reliability_e_count: 4,
      reliability_e_sum: 20,
      reliability_gap_count: 4,
      reliability_gap_sum: -2,
    });
    expect(f).toMatchObject({
      responses: 8,
      responseRate: 0.8,
      csatPercent: 87.5,
      csatMean: 4.25,
      nps: 50,
      suppressed: false,
    });
    expect(f.servqual).toMatchObject({ reliability: 4.5, empathy: null });
    expect(f.expectations.reliability).toBe(5);
    expect(f.gaps.reliability).toBe(-0.5);
  });

  it('hides the figures of a group of fewer than 5 answers and keeps its counts', () => {
    const f = satisfactionFigures({ invitations: 6, responses: 4, csat_sum: 20, csat_satisfied: 4 });
    expect(f).toMatchObject({ responses: 4, invitations: 6, suppressed: true, csatPercent: null, csatMean: null });
    expect(satisfactionFigures({}).suppressed).toBe(true);
  });
});
