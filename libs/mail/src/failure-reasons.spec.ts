import { failureReason, failureReasonSql } from './failure-reasons';

describe('failureReason', () => {
  it('puts each kind of last error in the category a manager can act on', () => {
    expect(failureReason('550 mailbox unavailable')).toBe('rejected');
    expect(failureReason('553-5.1.3 bad recipient')).toBe('rejected');
    expect(failureReason('recipient rejected: a@example.com')).toBe('rejected');
    expect(failureReason('451 try again later')).toBe('deferred');
    expect(failureReason('connect ECONNREFUSED 127.0.0.1:2525')).toBe('unreachable');
    expect(failureReason('Connection timeout')).toBe('unreachable');
    expect(failureReason('Greeting never received: timed out')).toBe('unreachable');
    expect(failureReason('no recipient address')).toBe('no_address');
    expect(failureReason('no provider for channel wecom')).toBe('no_provider');
    expect(failureReason('isv.BUSINESS_LIMIT_CONTROL')).toBe('provider_error');
    expect(failureReason(null)).toBe('provider_error');
  });

  it('is one CASE expression over the column in SQL', () => {
    const sql = failureReasonSql('m.last_error');
    expect(sql).toContain(`WHEN m.last_error ~* '^no recipient address' THEN 'no_address'`);
    expect(sql).toMatch(/ELSE 'provider_error' END\)$/);
  });
});
