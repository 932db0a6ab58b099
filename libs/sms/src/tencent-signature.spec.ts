import {
  parseTc3Authorization,
  tc3Authorization,
  tc3CanonicalRequest,
  tc3Signature,
  tc3StringToSign,
} from './tencent-signature';

// The worked example of Tencent Cloud's "Signature v3" page: CVM DescribeInstances at timestamp
// 1551113065, the body below (Python's json.dumps of the example's parameters), and the key as the
// page prints it (masked with asterisks, which the published signature was computed with).
const EXAMPLE = {
  host: 'cvm.tencentcloudapi.com',
  service: 'cvm',
  timestamp: 1551113065,
  body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};
const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3*******';

describe('Tencent Cloud TC3-HMAC-SHA256 signature', () => {
  it('reproduces the worked example of the Signature v3 documentation', () => {
    expect(tc3CanonicalRequest(EXAMPLE)).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(tc3StringToSign(EXAMPLE)).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(tc3Signature(EXAMPLE, SECRET_KEY)).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    expect(tc3Authorization(EXAMPLE, SECRET_ID, SECRET_KEY)).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  it('changes with the body, the time and the key, and reads back its header', () => {
    const signed = tc3Signature(EXAMPLE, SECRET_KEY);
    expect(tc3Signature({ ...EXAMPLE, body: '{"Limit": 2}' }, SECRET_KEY)).not.toBe(signed);
    expect(tc3Signature({ ...EXAMPLE, timestamp: EXAMPLE.timestamp + 1 }, SECRET_KEY)).not.toBe(signed);
    expect(tc3Signature(EXAMPLE, 'another-key')).not.toBe(signed);
    expect(parseTc3Authorization(tc3Authorization(EXAMPLE, 'AKIDtest', SECRET_KEY))).toEqual({
      secretId: 'AKIDtest',
      date: '2019-02-25',
      service: 'cvm',
      signedHeaders: 'content-type;host',
      signature: signed,
    });
    expect(parseTc3Authorization('TC3-HMAC-SHA256 Credential=x')).toBeNull();
  });
});
