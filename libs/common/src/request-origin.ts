import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

// Where a request came from: its network address (as Fastify read it, honouring TRUST_PROXY) and
// its browser (User-Agent). Rating integrity compares a survey answer's origin with the rated
// butler's recent sign-ins (docs/rating-integrity.md).
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

// An origin as it is stored: keyed hashes, never the address or the browser string. Equal inputs
// give equal hashes (all the check needs); without the server's key a hash cannot be turned back
// into an address by trying the 4 billion IPv4 addresses. Null when the part says nothing of who
// sent the request (see below).
export interface OriginHashes {
  ipHash: Buffer | null;
  uaHash: Buffer | null;
}

// An address of the server's own network says nothing of who is behind it: every request arrives
// from the proxy's address when TRUST_PROXY is not set, and a private or loopback address is shared
// by everyone behind one router.
export function isPersonalAddress(ip: string): boolean {
  let address = ip.trim().toLowerCase();
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7);
  const family = isIP(address);
  if (family === 4) {
    const [a, b] = address.split('.').map(Number);
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (family === 6) {
    return !(
      address === '::' ||
      address === '::1' ||
      /^f[cd]/.test(address) ||
      /^fe[89ab]/.test(address) ||
      address.startsWith('ff')
    );
  }
  return false;
}

// Only a browser's User-Agent tells one person's device from another's; a library's or a tool's
// (curl, an HTTP client) is the same for everyone who uses it.
export function isBrowserAgent(userAgent: string): boolean {
  return /^Mozilla\/\d/.test(userAgent.trim());
}

const normaliseIp = (ip: string): string => {
  const address = ip.trim().toLowerCase();
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
};

// `secret`: the server's own secret (JWT_SECRET); a purpose-bound key is derived from it.
export function hashOrigin(origin: RequestOrigin, secret: string): OriginHashes {
  const key = createHmac('sha256', secret).update('butler-crm:request-origin:v1').digest();
  const hash = (kind: string, value: string): Buffer =>
    createHmac('sha256', key).update(`${kind}\0${value}`).digest().subarray(0, 16);
  return {
    ipHash: origin.ip && isPersonalAddress(origin.ip) ? hash('ip', normaliseIp(origin.ip)) : null,
    uaHash: origin.userAgent && isBrowserAgent(origin.userAgent) ? hash('ua', origin.userAgent.trim()) : null,
  };
}

// A Fastify request's origin (structurally typed: this library does not depend on Fastify's types).
export function originOf(request: {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}): RequestOrigin {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: (Array.isArray(agent) ? agent[0] : agent) ?? null };
}
