import { isLive, progressPercent } from './campaigns';

describe('campaign progress', () => {
  const p = (sent: number, failed: number, skipped: number, pending: number) => ({
    audience: sent + failed + skipped + pending,
    sent,
    failed,
    skipped,
    pending,
    skippedBy: {},
    outage: null,
  });

  it('counts sent, failed and skipped as settled', () => {
    expect(progressPercent(p(3, 1, 1, 5), 'sending')).toBe(50);
    expect(progressPercent(p(0, 0, 0, 0), 'sending')).toBe(0);
    expect(progressPercent(null, 'scheduled')).toBe(0);
    expect(progressPercent(p(9, 0, 0, 1), 'sending')).toBe(90);
    // a completed campaign is full even with nothing to send
    expect(progressPercent(p(0, 0, 0, 0), 'completed')).toBe(100);
  });

  it('polls only while a campaign is scheduled or sending', () => {
    expect(isLive('scheduled')).toBe(true);
    expect(isLive('sending')).toBe(true);
    expect(isLive('draft')).toBe(false);
    expect(isLive('completed')).toBe(false);
    expect(isLive(undefined)).toBe(false);
  });
});
