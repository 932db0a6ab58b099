import { periodParts, satisfactionFigures } from './satisfaction';

describe('periodParts', () => {
  it('reads whole months from the monthly rows and the ends from the daily rows', () => {
    expect(periodParts('2026-01-15', '2026-04-10')).toEqual({
      months: ['2026-02-01', '2026-04-01'],
      days: [
        ['2026-01-15', '2026-01-31'],
        ['2026-04-01', '2026-04-10'],
      ],
    });
  });

  it('needs no days when the period is whole months, across a year end and a leap February', () => {
    expect(periodParts('2027-12-01', '2028-02-29')).toEqual({ months: ['2027-12-01', '2028-03-01'], days: [] });
  });

  it('reads days only within one month or two partial ones', () => {
    expect(periodParts('2026-03-02', '2026-03-30')).toEqual({ months: null, days: [['2026-03-02', '2026-03-30']] });
    expect(periodParts('2026-03-20', '2026-04-10')).toEqual({ months: null, days: [['2026-03-20', '2026-04-10']] });
    expect(periodParts('2026-03-31', '2026-03-31')).toEqual({ months: null, days: [['2026-03-31', '2026-03-31']] });
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
