import { signatureHeader, verifySignature } from './webhook-signature';
import { isPrivateAddress, webhookUrlProblem } from './webhook-url';

describe('webhook URLs', () => {
  it('take http and https only, without credentials', async () => {
    for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url', '//x.com'])
      expect(await webhookUrlProblem(url, true)).toBe('httpUrl');
    expect(await webhookUrlProblem('https://user:pw@example.com/', true)).toBe('httpUrl');
    expect(await webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
  });

  it('in production refuse loopback, private, link-local and other non-public addresses', async () => {
    for (const url of [
      'http://127.0.0.1/hook',
      'http://localhost:3000/hook',
      'http://api.localhost/hook',
      'http://10.1.2.3/hook',
      'http://172.20.0.5/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook', // 127.0.0.1 written as one number: URL normalises it
    ])
      expect([url, await webhookUrlProblem(url, false)]).toEqual([url, 'publicAddress']);
    expect(await webhookUrlProblem('https://93.184.216.34/hook', false)).toBeNull();
    expect(await webhookUrlProblem('https://[2606:4700::1111]/hook', false)).toBeNull();
  });

  it('classify addresses', () => {
    expect(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860::8888'].map(isPrivateAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(['172.16.0.1', '224.0.0.1', '198.18.0.1', 'fc00::1', 'nonsense'].map(isPrivateAddress)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"survey.answered"}';

  it('verify over the timestamp and the raw body, within the tolerance', () => {
    const header = signatureHeader(secret, 1_800_000_000, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, 1_800_000_100)).toBe(true);
    expect(verifySignature('whsec_other', header, body, 1_800_000_100)).toBe(false);
    expect(verifySignature(secret, header, `${body} `, 1_800_000_100)).toBe(false);
    // Replayed later than five minutes: refused.
    expect(verifySignature(secret, header, body, 1_800_000_301)).toBe(false);
    expect(verifySignature(secret, undefined, body, 1_800_000_000)).toBe(false);
  });
});
