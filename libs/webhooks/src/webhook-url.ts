import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// Where a webhook may point: http(s) only, and in production never at this machine or the private
// network (SSRF: an admin's URL must not reach the database, the metadata service or an internal
// admin page). Tests (NODE_ENV=test) and development allow loopback for their receivers.
export type WebhookUrlProblem = 'httpUrl' | 'publicAddress';

// IPv4 and IPv6 ranges that are not the public internet: loopback, private, link-local (cloud
// metadata), CGNAT, unspecified, multicast and reserved, and IPv4 mapped into IPv6.
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    const [a, b] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (version === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isPrivateAddress(mapped[1]);
    // The same written in hex, as URL normalises it (::ffff:7f00:1 is 127.0.0.1).
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
    if (hex) {
      const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
      return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return (
      lower.startsWith('::') || // unspecified, loopback, IPv4-compatible
      lower.startsWith('64:ff9b:') || // NAT64: an IPv4 address behind a translator
      /^f[cd]/.test(lower) || // unique local fc00::/7
      /^fe[89ab]/.test(lower) || // link-local fe80::/10
      /^ff/.test(lower) // multicast
    );
  }
  return true;
}

export function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}

// null when the URL may be used. With allowPrivate false the host is resolved and every address
// it names must be public (a name that does not resolve is refused too).
export async function webhookUrlProblem(value: string, allowPrivate: boolean): Promise<WebhookUrlProblem | null> {
  const url = parseHttpUrl(value);
  if (!url) return 'httpUrl';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'publicAddress';
  if (isIP(host)) return isPrivateAddress(host) ? 'publicAddress' : null;
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    return addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address)) ? 'publicAddress' : null;
  } catch {
    return 'publicAddress';
  }
}
