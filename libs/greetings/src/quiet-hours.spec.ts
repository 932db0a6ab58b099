import { inQuietHours } from './quiet-hours';

describe('quiet hours (21:00–08:00 Asia/Shanghai)', () => {
  it.each([
    ['2027-02-11T04:10:00+08:00', true],
    ['2027-02-11T21:00:00+08:00', true],
    ['2027-02-11T23:59:00+08:00', true],
    ['2027-02-11T00:00:00+08:00', true],
    ['2027-02-11T07:59:00+08:00', true],
    ['2027-02-11T08:00:00+08:00', false],
    ['2027-02-11T12:00:00+08:00', false],
    ['2027-02-11T20:59:00+08:00', false],
    // 13:30 UTC is 21:30 in Shanghai.
    ['2027-02-11T13:30:00Z', true],
  ])('%s → %s', (at, quiet) => expect(inQuietHours(new Date(at))).toBe(quiet));
});
