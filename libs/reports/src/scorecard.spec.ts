import { driverFigures, surveyFigures, wilsonLowerBound } from './scorecard';

describe('wilsonLowerBound', () => {
  it('ranks many good answers above a few perfect ones', () => {
    expect(wilsonLowerBound(2, 2)!).toBeCloseTo(0.342, 3);
    expect(wilsonLowerBound(190, 200)!).toBeCloseTo(0.91, 2);
    expect(wilsonLowerBound(190, 200)!).toBeGreaterThan(wilsonLowerBound(2, 2)!);
    expect(wilsonLowerBound(0, 0)).toBeNull();
  });
});

describe('surveyFigures', () => {
  it('computes CSAT %, mean, NPS and SERVQUAL means from the sums', () => {
    // Answers: csat 5,4,2 ; nps 10, 7, 3 ; reliability 5 and 3 on the first two.
    const f = surveyFigures({
      invitations: 4,
      responses: 3,
      csat_sum: 11,
      csat_satisfied: 2,
      nps_count: 3,
      nps_promoters: 1,
      nps_detractors: 1,
      reliability_count: 2,
      reliability_sum: 8,
    });
    expect(f).toMatchObject({
      invitations: 4,
      responses: 3,
      responseRate: 0.75,
      csatMean: 3.67,
      csatPercent: 66.7,
      nps: 0,
      rankMethod: 'wilson',
    });
    expect(f.servqual).toEqual({
      reliability: 4,
      responsiveness: null,
      assurance: null,
      empathy: null,
      tangibles: null,
    });
  });

  it('gives nulls, not NaN, without answers', () => {
    const f = surveyFigures({ invitations: 2 });
    expect(f).toMatchObject({
      responses: 0,
      responseRate: 0,
      csatMean: null,
      csatPercent: null,
      nps: null,
      rankScore: null,
    });
  });
});

describe('driverFigures', () => {
  it('finds the dimension that moves CSAT', () => {
    // empathy tracks csat exactly (r = 1); tangibles is constant (no correlation).
    const pairs = [
      [1, 1],
      [3, 3],
      [5, 5],
    ];
    const sums: Record<string, number> = {};
    for (const [x, y] of pairs) {
      sums.empathy_count = (sums.empathy_count ?? 0) + 1;
      sums.empathy_sum = (sums.empathy_sum ?? 0) + x;
      sums.empathy_sq_sum = (sums.empathy_sq_sum ?? 0) + x * x;
      sums.empathy_csat_sum = (sums.empathy_csat_sum ?? 0) + y;
      sums.empathy_csat_sq_sum = (sums.empathy_csat_sq_sum ?? 0) + y * y;
      sums.empathy_cross_sum = (sums.empathy_cross_sum ?? 0) + x * y;
      sums.tangibles_count = (sums.tangibles_count ?? 0) + 1;
      sums.tangibles_sum = (sums.tangibles_sum ?? 0) + 4;
      sums.tangibles_sq_sum = (sums.tangibles_sq_sum ?? 0) + 16;
      sums.tangibles_csat_sum = (sums.tangibles_csat_sum ?? 0) + y;
      sums.tangibles_csat_sq_sum = (sums.tangibles_csat_sq_sum ?? 0) + y * y;
      sums.tangibles_cross_sum = (sums.tangibles_cross_sum ?? 0) + 4 * y;
    }
    const drivers = driverFigures(sums);
    expect(drivers[0]).toMatchObject({ dimension: 'empathy', correlation: 1, slope: 1, responses: 3, mean: 3 });
    expect(drivers.find((d) => d.dimension === 'tangibles')).toMatchObject({ correlation: null, mean: 4 });
  });
});
