import { randomBytes } from 'node:crypto';

import { openSecret, sealSecret } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never stores the secret in the clear', () => {
    const sealed = sealSecret(key, 'contact-secret-中文');
    expect(sealed).not.toContain('contact-secret');
    expect(sealed).toMatch(/^v1:/);
    expect(openSecret(key, sealed)).toBe('contact-secret-中文');
    expect(sealSecret(key, 'same')).not.toBe(sealSecret(key, 'same'));
  });

  it('reads a value sealed with another key, or tampered with, as unset', () => {
    const sealed = sealSecret(key, 'secret');
    expect(openSecret(randomBytes(32), sealed)).toBeNull();
    const [v, nonce, tag, body] = sealed.split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(openSecret(key, [v, nonce, tag, flipped.toString('base64')].join(':'))).toBeNull();
    expect(openSecret(key, 'plain')).toBeNull();
    expect(openSecret(key, null)).toBeNull();
  });
});
