import { festivalsOf } from './festivals';

// Published dates (State Council holiday notices and almanacs), written out by hand so the
// library is checked against an independent source.
const PUBLISHED: Record<number, Record<string, string>> = {
  2024: {
    spring_festival: '2024-02-10',
    lantern: '2024-02-24',
    dragon_boat: '2024-06-10',
    qixi: '2024-08-10',
    mid_autumn: '2024-09-17',
    double_ninth: '2024-10-11',
  },
  2025: {
    spring_festival: '2025-01-29',
    lantern: '2025-02-12',
    dragon_boat: '2025-05-31',
    qixi: '2025-08-29',
    mid_autumn: '2025-10-06',
    double_ninth: '2025-10-29',
  },
  2026: {
    spring_festival: '2026-02-17',
    lantern: '2026-03-03',
    dragon_boat: '2026-06-19',
    qixi: '2026-08-19',
    mid_autumn: '2026-09-25',
    double_ninth: '2026-10-18',
  },
  2027: {
    spring_festival: '2027-02-06',
    lantern: '2027-02-20',
    dragon_boat: '2027-06-09',
    qixi: '2027-08-08',
    mid_autumn: '2027-09-15',
    double_ninth: '2027-10-08',
  },
  2028: {
    spring_festival: '2028-01-26',
    lantern: '2028-02-09',
    dragon_boat: '2028-05-28',
    qixi: '2028-08-26',
    mid_autumn: '2028-10-03',
    double_ninth: '2028-10-26',
  },
  2029: {
    spring_festival: '2029-02-13',
    lantern: '2029-02-27',
    dragon_boat: '2029-06-16',
    qixi: '2029-08-16',
    mid_autumn: '2029-09-22',
    double_ninth: '2029-10-16',
  },
  2030: {
    spring_festival: '2030-02-03',
    lantern: '2030-02-17',
    dragon_boat: '2030-06-05',
    qixi: '2030-08-05',
    mid_autumn: '2030-09-12',
    double_ninth: '2030-10-05',
  },
};

describe('festivalsOf', () => {
  it.each(Object.keys(PUBLISHED).map(Number))('matches the published dates of %i', (year) => {
    const dates = Object.fromEntries(festivalsOf(year).map((f) => [f.key, f.date]));
    expect(dates).toEqual({ ...PUBLISHED[year], new_year: `${year}-01-01`, national_day: `${year}-10-01` });
  });

  it('lists the eight festivals in date order with their Chinese names', () => {
    const festivals = festivalsOf(2027);
    // In 2027 重阳 (10-08) comes after 国庆 (10-01).
    expect(festivals.map((f) => f.name)).toEqual([
      '元旦',
      '春节',
      '元宵节',
      '端午节',
      '七夕',
      '中秋节',
      '国庆节',
      '重阳节',
    ]);
    expect(festivals.find((f) => f.key === 'mid_autumn')).toEqual({
      key: 'mid_autumn',
      name: '中秋节',
      date: '2027-09-15',
      calendar: 'lunar',
    });
    expect(festivals.map((f) => f.date)).toEqual([...festivals.map((f) => f.date)].sort());
  });
});
