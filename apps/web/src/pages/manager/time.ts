import type { Dayjs } from 'dayjs';

import { dayjs, TZ } from '../../lib/format';

// A wall-clock time picked in the console is a time in Asia/Shanghai, whatever the browser's zone:
// 10:00 picked → "…T10:00:00+08:00".
export const shanghaiIso = (d: Dayjs): string => dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), TZ).format();

// Night in Shanghai (21:00–08:00): the API asks for confirmQuietHours to send then.
export const QUIET_HOURS = { from: '21:00', to: '08:00' } as const;
export function inQuietHours(d: Dayjs): boolean {
  const time = d.format('HH:mm');
  return time >= QUIET_HOURS.from || time < QUIET_HOURS.to;
}
