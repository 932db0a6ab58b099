import { canonicalQuery, percentEncode, rpcSignature, stringToSign } from './aliyun-signature';

// The worked SendSms example of Aliyun's SMS API reference ("签名机制"): AccessKey testId /
// testSecret, and the signature it publishes for these parameters.
const EXAMPLE = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('Aliyun RPC signature', () => {
  it('reproduces the SendSms example of Aliyun documentation', () => {
    expect(canonicalQuery(EXAMPLE)).toBe(
      'AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou' +
        '&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8' +
        '&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0' +
        '&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D' +
        '&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25',
    );
    expect(stringToSign('GET', EXAMPLE)).toMatch(/^GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26/);
    expect(rpcSignature('GET', EXAMPLE, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('ignores a Signature parameter and changes with any other', () => {
    const signed = rpcSignature('GET', EXAMPLE, 'testSecret');
    expect(rpcSignature('GET', { ...EXAMPLE, Signature: 'x' }, 'testSecret')).toBe(signed);
    expect(rpcSignature('GET', { ...EXAMPLE, PhoneNumbers: '15300000002' }, 'testSecret')).not.toBe(signed);
    expect(rpcSignature('GET', EXAMPLE, 'otherSecret')).not.toBe(signed);
  });

  it('percent-encodes as RFC 3986 (space %20, * %2A, ~ kept)', () => {
    expect(percentEncode('a b*~')).toBe('a%20b%2A~');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('回T退订')).toBe('%E5%9B%9ET%E9%80%80%E8%AE%A2');
  });
});
