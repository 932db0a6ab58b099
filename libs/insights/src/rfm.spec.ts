import { quintileScore, RFM_HIGH, rfmHighPosition, RfmScore, rfmScores, rfmSegment } from './rfm';

describe('quintileScore', () => {
  it('gives the top client 5 and the bottom client 1', () => {
    expect(quintileScore(99, 100)).toBe(5);
    expect(quintileScore(0, 100)).toBe(1);
  });

  it('cuts the percent rank into fifths, boundaries going up', () => {
    // base 11: percent rank = below / 10
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((below) => quintileScore(below, 11))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5,
    ]);
  });

  it('lets tied clients share the lower rank', () => {
    // 40 of 100 clients bought once: none of them is below another, so all score 1.
    expect(quintileScore(0, 100)).toBe(1);
    // The next value up has 40 clients below it: percent rank 40/99, a 3.
    expect(quintileScore(40, 100)).toBe(3);
  });

  it('scores a client alone in the base in the middle, and clamps counts out of range', () => {
    expect(quintileScore(0, 1)).toBe(3);
    expect(quintileScore(0, 0)).toBe(3);
    expect(quintileScore(500, 100)).toBe(5);
    expect(quintileScore(-1, 100)).toBe(1);
  });
});

describe('rfmScores', () => {
  it('scores each measure against the same base', () => {
    expect(rfmScores({ base: 101, recencyBelow: 100, frequencyBelow: 0, monetaryBelow: 50 })).toEqual({
      recency: 5,
      frequency: 1,
      monetary: 3,
    });
  });
});

describe('rfmSegment', () => {
  const seg = (recency: RfmScore, frequency: RfmScore, monetary: RfmScore) =>
    rfmSegment({ recency, frequency, monetary });

  it('names all eight cells of the model, 3 and up counting as high', () => {
    expect(seg(3, 3, 3)).toEqual({ key: 'important_value', name: '重要价值客户' });
    expect(seg(5, 2, 4)).toEqual({ key: 'important_development', name: '重要发展客户' });
    expect(seg(2, 4, 5)).toEqual({ key: 'important_retention', name: '重要保持客户' });
    expect(seg(1, 1, 5)).toEqual({ key: 'important_winback', name: '重要挽留客户' });
    expect(seg(4, 5, 2)).toEqual({ key: 'general_value', name: '一般价值客户' });
    expect(seg(5, 1, 1)).toEqual({ key: 'general_development', name: '一般发展客户' });
    expect(seg(1, 3, 2)).toEqual({ key: 'general_retention', name: '一般保持客户' });
    expect(seg(2, 2, 2)).toEqual({ key: 'general_winback', name: '一般挽留客户' });
  });

  it('calls a client without purchases new', () => {
    expect(rfmSegment(null)).toEqual({ key: 'new', name: '新客户' });
  });
});

describe('rfmHighPosition', () => {
  it('is the least rank below that scores RFM_HIGH or more, for every base up to 60', () => {
    for (let base = 1; base <= 60; base++) {
      for (let below = 0; below < base; below++) {
        expect([base, below, quintileScore(below, base) >= RFM_HIGH]).toEqual([
          base,
          below,
          below >= rfmHighPosition(base),
        ]);
      }
    }
  });
});
