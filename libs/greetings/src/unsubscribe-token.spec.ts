import { createHmac } from 'node:crypto';

import { purposeKey } from '@app/config';

import { unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const id = '3f2b8c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b';
  const keyA = purposeKey('secret-a', 'unsubscribe');

  it('round-trips a client id', () => {
    const token = unsubscribeToken(keyA, id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyUnsubscribeToken(keyA, token)).toBe(id);
  });

  it('rejects a token made with another secret, a tampered id, or garbage', () => {
    const token = unsubscribeToken(keyA, id);
    expect(verifyUnsubscribeToken(purposeKey('secret-b', 'unsubscribe'), token)).toBeNull();
    const other = unsubscribeToken(keyA, '00000000-0000-4000-8000-000000000000');
    expect(verifyUnsubscribeToken(keyA, `${other.split('.')[0]}.${token.split('.')[1]}`)).toBeNull();
    expect(verifyUnsubscribeToken(keyA, 'nope')).toBeNull();
  });

  it('uses a key of its own, not the JWT secret; links mailed before still work', () => {
    expect(keyA.equals(Buffer.from('secret-a'))).toBe(false);
    const token = unsubscribeToken(keyA, id);
    // A MAC made with the JWT secret itself (as links were made before the derived key) is only
    // honoured where the caller says so.
    const legacyMac = createHmac('sha256', 'secret-a')
      .update(`unsubscribe:${id}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    const legacy = `${token.split('.')[0]}.${legacyMac}`;
    expect(verifyUnsubscribeToken(keyA, legacy)).toBeNull();
    expect(verifyUnsubscribeToken(keyA, legacy, 'secret-a')).toBe(id);
  });
});
