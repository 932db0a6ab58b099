import { AppError, shanghaiHourMinute } from '@app/common';

// Night in Shanghai: a greeting arriving between 21:00 and 08:00 wakes or annoys the client, so a
// campaign sent then needs the sender to say so (`confirmQuietHours: true`).
export const QUIET_HOURS = { from: '21:00', to: '08:00' } as const;

export function inQuietHours(at: Date): boolean {
  const time = shanghaiHourMinute(at);
  return time >= QUIET_HOURS.from || time < QUIET_HOURS.to;
}

// Refuses a send time in the quiet hours unless it was confirmed.
export function checkQuietHours(sendsAt: Date, confirmed: boolean | undefined): void {
  if (confirmed || !inQuietHours(sendsAt)) return;
  const time = shanghaiHourMinute(sendsAt);
  throw new AppError(
    'invalid',
    [
      `sendAt ${time} (Asia/Shanghai) is between ${QUIET_HOURS.from} and ${QUIET_HOURS.to}: ` +
        'confirm a night send with confirmQuietHours: true',
    ],
    {
      code: 'CAMPAIGN_QUIET_HOURS',
      fields: [{ field: 'sendAt', code: 'quietHours', params: { time, ...QUIET_HOURS } }],
      time,
      ...QUIET_HOURS,
    },
  );
}
