import { dayjs } from '../../lib/format';
import { shanghaiIso } from './time';

describe('times picked in the console', () => {
  it('are read as Asia/Shanghai wall-clock times with the +08:00 offset', () => {
    expect(shanghaiIso(dayjs('2027-09-15T09:00:00'))).toBe('2027-09-15T09:00:00+08:00');
    expect(shanghaiIso(dayjs('2026-11-25 23:30'))).toBe('2026-11-25T23:30:00+08:00');
  });
});
