import {
  CallbackCryptoError,
  CallbackKeys,
  callbackSignature,
  decryptCallback,
  encryptCallback,
  openCallback,
  sealCallback,
} from './callback-crypto';

const keys: CallbackKeys = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
};

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallbackCryptoError) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe('WeCom callback crypto', () => {
  it("reproduces the URL verification example of WeCom's sample code (signature and echostr)", () => {
    // Sample.cpp / callback.php of WeCom's WXBizMsgCrypt: token QDG6eK, corpid wx5823bf96d3bd56c7.
    const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
    expect(callbackSignature(keys.token, '1409659589', '263014780', echostr)).toBe(
      '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    );
    const plain = openCallback(
      keys,
      { msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780' },
      echostr,
    );
    expect(plain).toBe('1616140317555161061');
  });

  it('reproduces the AES vector of the official WXBizMsgCrypt Java test', () => {
    const encrypt = encryptCallback(
      '我是中文abcd123',
      { encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', receiveId: 'wxb11529c136998cb6' },
      Buffer.from('aaaabbbbccccdddd'),
    );
    expect(encrypt).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
  });

  it('round-trips a Chinese XML message through seal and open', () => {
    const xml = '<xml><Event><![CDATA[change_external_contact]]></Event><UserID>张三</UserID></xml>';
    const sealed = sealCallback(keys, xml, '1795500000', 'n0nce');
    expect(
      openCallback(
        keys,
        { msgSignature: sealed.msgSignature, timestamp: '1795500000', nonce: 'n0nce' },
        sealed.encrypt,
      ),
    ).toBe(xml);
    // a message of exactly one padding block still pads (a whole block of 32s)
    const exact = 'x'.repeat(64 - 20 - keys.receiveId.length);
    expect(decryptCallback(encryptCallback(exact, keys), keys)).toBe(exact);
  });

  it('refuses a tampered signature, timestamp, nonce or body', () => {
    const sealed = sealCallback(keys, '<xml/>', '1795500000', 'abc');
    const q = { msgSignature: sealed.msgSignature, timestamp: '1795500000', nonce: 'abc' };
    const flipped = sealed.msgSignature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(refusal(() => openCallback(keys, { ...q, msgSignature: flipped }, sealed.encrypt))).toBe('bad_signature');
    expect(refusal(() => openCallback(keys, { ...q, timestamp: '1795500001' }, sealed.encrypt))).toBe('bad_signature');
    expect(refusal(() => openCallback(keys, { ...q, nonce: 'abd' }, sealed.encrypt))).toBe('bad_signature');
    expect(refusal(() => openCallback(keys, { ...q, msgSignature: '' }, sealed.encrypt))).toBe('bad_signature');
    expect(refusal(() => openCallback({ ...keys, token: 'other' }, q, sealed.encrypt))).toBe('bad_signature');
  });

  it('refuses a message for another corp (wrong receiveid)', () => {
    const encrypt = encryptCallback('<xml/>', { ...keys, receiveId: 'wwOtherCorp' });
    expect(refusal(() => decryptCallback(encrypt, keys))).toBe('wrong_receive_id');
  });

  it('refuses bad padding, a wrong key, junk base64 and a bad EncodingAESKey', () => {
    const encrypt = encryptCallback('<xml/>', keys);
    // a wrong key decrypts to garbage: the padding check (or the corpid check) refuses it
    const otherKey = { ...keys, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
    expect(['bad_padding', 'bad_length', 'wrong_receive_id']).toContain(
      refusal(() => decryptCallback(encrypt, otherKey)),
    );
    // the last block changed: its padding no longer reads as PKCS#7
    const data = Buffer.from(encrypt, 'base64');
    data[data.length - 1] ^= 0xff;
    expect(['bad_padding', 'bad_length', 'wrong_receive_id']).toContain(
      refusal(() => decryptCallback(data.toString('base64'), keys)),
    );
    expect(refusal(() => decryptCallback('not base64!', keys))).toBe('bad_base64');
    expect(refusal(() => decryptCallback('AAAA', keys))).toBe('bad_base64');
    expect(refusal(() => decryptCallback(encrypt, { ...keys, encodingAesKey: 'short' }))).toBe('bad_aes_key');
  });

  it('refuses a plaintext whose declared length runs past its end', () => {
    // hand-built: 16 random bytes, a length of 1000, 5 bytes of message
    const plain = Buffer.concat([Buffer.alloc(16), Buffer.from([0, 0, 3, 232]), Buffer.from('hello')]);
    const padded = Buffer.concat([plain, Buffer.alloc(32 - plain.length, 32 - plain.length)]);
    const { createCipheriv } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const key = Buffer.from(`${keys.encodingAesKey}=`, 'base64');
    const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    const encrypt = Buffer.concat([c.update(padded), c.final()]).toString('base64');
    expect(refusal(() => decryptCallback(encrypt, keys))).toBe('bad_length');
  });
});
