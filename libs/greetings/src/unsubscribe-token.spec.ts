import { unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const id = '3f2b8c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b';

  it('round-trips a client id', () => {
    const token = unsubscribeToken('secret-a', id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyUnsubscribeToken('secret-a', token)).toBe(id);
  });

  it('rejects a token made with another secret, a tampered id, or garbage', () => {
    const token = unsubscribeToken('secret-a', id);
    expect(verifyUnsubscribeToken('secret-b', token)).toBeNull();
    const other = unsubscribeToken('secret-a', '00000000-0000-4000-8000-000000000000');
    expect(verifyUnsubscribeToken('secret-a', `${other.split('.')[0]}.${token.split('.')[1]}`)).toBeNull();
    expect(verifyUnsubscribeToken('secret-a', 'nope')).toBeNull();
  });
});
