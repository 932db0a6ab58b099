import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// WeCom's callback message encryption (加解密方案, the WXBizMsgCrypt of its sample code), pure:
// - msg_signature = hex SHA-1 of [token, timestamp, nonce, encrypt] sorted as strings and joined;
// - AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
//   a multiple of 32 bytes (not 16), so node's own padding is off and ours is checked by hand;
// - plaintext = 16 random bytes + msg length (4 bytes, network order) + msg + receiveid (the corpid).
// The fake WeCom callback sender in test/ encrypts with the same code.

export type CallbackCryptoFailure =
  'bad_signature' | 'bad_aes_key' | 'bad_base64' | 'bad_padding' | 'bad_length' | 'wrong_receive_id';

export class CallbackCryptoError extends Error {
  constructor(readonly reason: CallbackCryptoFailure) {
    super(`WeCom callback refused: ${reason}`);
  }
}

export interface CallbackKeys {
  token: string;
  encodingAesKey: string;
  // The corpid for an enterprise's own callbacks.
  receiveId: string;
}

const BLOCK = 32;

export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new CallbackCryptoError('bad_aes_key');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new CallbackCryptoError('bad_aes_key');
  return key;
}

export function callbackSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const joined = [token, timestamp, nonce, encrypt].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

export function verifyCallbackSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  const expected = Buffer.from(callbackSignature(token, timestamp, nonce, encrypt), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  if (data.length === 0 || data.length % 16 !== 0) throw new CallbackCryptoError('bad_padding');
  const n = data[data.length - 1];
  if (n < 1 || n > BLOCK || n > data.length) throw new CallbackCryptoError('bad_padding');
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new CallbackCryptoError('bad_padding');
  }
  return data.subarray(0, data.length - n);
}

// `random` only for tests that reproduce a known vector; WeCom's senders use 16 fresh bytes.
export function encryptCallback(
  message: string,
  keys: Pick<CallbackKeys, 'encodingAesKey' | 'receiveId'>,
  random?: Buffer,
): string {
  const key = aesKeyOf(keys.encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random ?? randomBytes(16), length, body, Buffer.from(keys.receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export function decryptCallback(encrypt: string, keys: Pick<CallbackKeys, 'encodingAesKey' | 'receiveId'>): string {
  const key = aesKeyOf(keys.encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new CallbackCryptoError('bad_base64');
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new CallbackCryptoError('bad_base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (plain.length < 20) throw new CallbackCryptoError('bad_length');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new CallbackCryptoError('bad_length');
  const receiveId = plain.subarray(20 + length).toString('utf8');
  if (receiveId !== keys.receiveId) throw new CallbackCryptoError('wrong_receive_id');
  return plain.subarray(20, 20 + length).toString('utf8');
}

// Verify, then decrypt: what the callback endpoint does with a GET's echostr or a POST's <Encrypt>.
export function openCallback(
  keys: CallbackKeys,
  query: { msgSignature: string; timestamp: string; nonce: string },
  encrypt: string,
): string {
  if (!verifyCallbackSignature(keys.token, query.timestamp, query.nonce, encrypt, query.msgSignature)) {
    throw new CallbackCryptoError('bad_signature');
  }
  return decryptCallback(encrypt, keys);
}

// Encrypt and sign: what WeCom does (and the fake sender, and a passive reply if we ever send one).
export function sealCallback(
  keys: CallbackKeys,
  message: string,
  timestamp: string,
  nonce: string,
): { encrypt: string; msgSignature: string } {
  const encrypt = encryptCallback(message, keys);
  return { encrypt, msgSignature: callbackSignature(keys.token, timestamp, nonce, encrypt) };
}
