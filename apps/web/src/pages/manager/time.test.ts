import { dayjs } from '../../lib/format';
import { inQuietHours, shanghaiIso } from './time';

describe('times picked in the console', () => {
  it('are read as Asia/Shanghai wall-clock times with the +08:00 offset', () => {
    expect(shanghaiIso(dayjs('2027-09-15T09:00:00'))).toBe('2027-09-15T09:00:00+08:00');
    expect(shanghaiIso(dayjs('2026-11-25 23:30'))).toBe('2026-11-25T23:30:00+08:00');
  });

  it('are at night from 21:00 to 08:00 (the picked wall-clock time)', () => {
    for (const at of ['2027-02-19 04:10', '2027-02-18 21:00', '2027-02-19 07:59', '2027-02-19 00:00'])
      expect(inQuietHours(dayjs(at))).toBe(true);
    for (const at of ['2027-02-19 08:00', '2027-02-18 20:59', '2027-02-19 12:00'])
      expect(inQuietHours(dayjs(at))).toBe(false);
  });
});
