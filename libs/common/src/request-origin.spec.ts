import { hashOrigin, isBrowserAgent, isPersonalAddress } from './request-origin';

const CHROME = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari';

describe('request origin', () => {
  it('treats the server network and shared ranges as saying nothing of who answered', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.9',
      '192.168.1.20',
      '100.64.3.4',
      '169.254.0.1',
      '::1',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'not an address',
    ])
      expect(isPersonalAddress(ip)).toBe(false);
    for (const ip of ['203.0.113.7', '117.136.12.5', '2408:8207::1', '::ffff:117.136.12.5'])
      expect(isPersonalAddress(ip)).toBe(true);
  });

  it('knows a browser from a tool', () => {
    expect(isBrowserAgent(CHROME)).toBe(true);
    expect(isBrowserAgent('curl/8.5.0')).toBe(false);
    expect(isBrowserAgent('lightMyRequest')).toBe(false);
  });

  it('hashes equal origins equally, keyed by the secret, and keeps nothing of a shared origin', () => {
    const a = hashOrigin({ ip: '117.136.12.5', userAgent: CHROME }, 's1');
    const b = hashOrigin({ ip: '::ffff:117.136.12.5', userAgent: ` ${CHROME}` }, 's1');
    expect(a.ipHash?.equals(b.ipHash!)).toBe(true);
    expect(a.uaHash?.equals(b.uaHash!)).toBe(true);
    expect(a.ipHash).toHaveLength(16);
    expect(hashOrigin({ ip: '117.136.12.5', userAgent: null }, 's2').ipHash?.equals(a.ipHash!)).toBe(false);
    expect(hashOrigin({ ip: '127.0.0.1', userAgent: 'curl/8' }, 's1')).toEqual({ ipHash: null, uaHash: null });
  });
});
