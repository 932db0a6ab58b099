import { cycleOn, isLeapYear, isMonthDay, sampleOf } from './program-schedule';

describe('relationship program schedule', () => {
  const november = { kind: 'window' as const, start: '11-01', end: '11-30' };

  it('asks within a yearly window, in the year it opened', () => {
    expect(cycleOn(november, '2027-10-31')).toBeNull();
    expect(cycleOn(november, '2027-11-01')).toBe(2027);
    expect(cycleOn(november, '2027-11-30')).toBe(2027);
    expect(cycleOn(november, '2027-12-01')).toBeNull();
  });

  it('a window over the new year belongs to the year it opened', () => {
    const winter = { kind: 'window' as const, start: '12-15', end: '01-15' };
    expect(cycleOn(winter, '2027-12-20')).toBe(2027);
    expect(cycleOn(winter, '2028-01-10')).toBe(2027);
    expect(cycleOn(winter, '2028-01-16')).toBeNull();
    expect(cycleOn(winter, '2028-06-01')).toBeNull();
  });

  it("an anniversary program asks every day, in the day's year", () => {
    expect(cycleOn({ kind: 'anniversary', start: null, end: null }, '2028-02-29')).toBe(2028);
  });

  it('knows which month-days exist and which years are leap', () => {
    expect(isMonthDay('02-29')).toBe(true);
    expect(isMonthDay('02-30')).toBe(false);
    expect(isMonthDay('04-31')).toBe(false);
    expect([2024, 2027, 2100, 2000].map(isLeapYear)).toEqual([true, false, false, true]);
  });

  it('stores "all" as every tier at 1 and a tier sample as given', () => {
    expect(sampleOf({ mode: 'all' }, ['regular', 'gold'])).toEqual({ regular: 1, gold: 1 });
    expect(sampleOf({ mode: 'tiers', tiers: [{ tier: 'gold', share: 0.5 }] }, ['regular', 'gold'])).toEqual({
      gold: 0.5,
    });
  });
});
