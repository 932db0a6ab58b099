import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Secrets kept in settings (WeCom's secrets) are stored encrypted: AES-256-GCM with a fresh 96-bit
// nonce each time, as `v1:<nonce>:<tag>:<ciphertext>` in base64. The key is SETTINGS_ENCRYPTION_KEY;
// a stored value that does not open with it (key changed, row tampered with) reads as unset.
const VERSION = 'v1';

export function sealSecret(key: Buffer, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, nonce.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(
    ':',
  );
}

export function openSecret(key: Buffer, stored: unknown): string | null {
  if (typeof stored !== 'string') return null;
  const [version, nonce, tag, sealed] = stored.split(':');
  if (version !== VERSION || !nonce || !tag || sealed === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
