import type { Dayjs } from 'dayjs';

import { dayjs, TZ } from '../../lib/format';

// A wall-clock time picked in the console is a time in Asia/Shanghai, whatever the browser's zone:
// 10:00 picked → "…T10:00:00+08:00".
export const shanghaiIso = (d: Dayjs): string => dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), TZ).format();
