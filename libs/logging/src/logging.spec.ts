import { Writable } from 'node:stream';

import fc from 'fast-check';
import Fastify from 'fastify';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';

import { loggerOptions, logRequests, redactUrl } from './logging.module';

describe('redactUrl', () => {
  it('hides survey and unsubscribe tokens and query tokens', () => {
    expect(redactUrl('/s/abcDEF123?x=1')).toBe('/s/[token]?x=1');
    expect(redactUrl('/u/abcDEF123')).toBe('/u/[token]');
    expect(redactUrl('/admin/queues?token=eyJhbGc.x.y')).toBe('/admin/queues?token=[redacted]');
  });

  it('masks mobiles in query strings', () => {
    expect(redactUrl('/api/v1/customers?q=13812345678')).toBe('/api/v1/customers?q=138****5678');
  });

  // Found by a red team: percent-encoded paths put tokens and an admin JWT in the log in clear,
  // and mobiles typed with spaces, dashes or +86 went through unmasked.
  it('decodes before it masks: encoded paths, parameter names, mobiles and emails', () => {
    expect(redactUrl('/%73/abcDEF123')).toBe('/s/[token]');
    expect(redactUrl('/%2575/abcDEF123')).toBe('/u/[token]');
    expect(redactUrl('//s//abcDEF123?x=1')).toBe('/s/[token]?x=1');
    expect(redactUrl('/admin/queues?%74oken=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig')).toBe(
      '/admin/queues?token=[redacted]',
    );
    expect(redactUrl('/api/v1/x?next=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig')).toBe('/api/v1/x?next=[jwt]');
    expect(redactUrl('/api/v1/customers?q=%2B86%20138-1234-5678')).toBe('/api/v1/customers?q=138****5678');
    expect(redactUrl('/api/v1/customers?q=wang%40example.com')).toBe('/api/v1/customers?q=w***@example.com');
    expect(redactUrl('/api/v1/customers?q=wang%2540example.com')).toBe('/api/v1/customers?q=w***@example.com');
    expect(redactUrl('/api/v1/customers?q=%E7%8E%8B%zz')).toBe('/api/v1/customers?q=王%zz');
  });

  it('never lets a token, a JWT, a mobile or an email through, however the URL is encoded (property)', () => {
    const encodeAll = (text: string) =>
      [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const encodings = [
      (x: string) => x,
      encodeURIComponent,
      encodeAll,
      (x: string) => encodeURIComponent(encodeAll(x)),
    ];
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
    const mobile = fc.tuple(
      fc.constantFrom('13', '15', '18', '19'),
      fc.stringMatching(/^\d{9}$/),
      fc.constantFrom('', '+86 ', '0086', '86-'),
      fc.constantFrom('', ' ', '-'),
    );
    fc.assert(
      fc.property(
        token,
        mobile,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (secret, [prefix, rest, country, sep], e1, e2) => {
          const digits = `${prefix}${rest}`;
          const typed = `${country}${digits.slice(0, 3)}${sep}${digits.slice(3, 7)}${sep}${digits.slice(7)}`;
          const jwt = `eyJhbGciOiJIUzI1NiJ9.${secret}.${secret.slice(0, 20)}`;
          for (const path of [`/${encodings[e1]('s')}/${secret}`, `/${encodings[e1]('u')}/${secret}`])
            expect(redactUrl(path)).not.toContain(secret);
          const email = encodings[e1]('li.na@example.com');
          const tokenParam = `${encodings[e2]('token')}=${encodings[e1](jwt)}`;
          const url = `/admin/queues?${tokenParam}&q=${encodings[e2](typed)}&e=${email}`;
          const out = redactUrl(url);
          expect(out).not.toContain(secret);
          expect(out.replace(/\D/g, '')).not.toContain(digits);
          expect(out).not.toContain('li.na');
        },
      ),
      { numRuns: 300, seed: 20261205 },
    );
  });
});

describe('logRequests', () => {
  const boot = async (level: string) => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const fastify = Fastify({ genReqId: () => 'req-42' });
    logRequests(fastify, pino(loggerOptions(level), sink));
    // What Nest's Logger does inside a request: log through the request's store.
    fastify.post('/api/v1/customers', async () => {
      storage.getStore()?.logger.warn('client 13812345678 <wang@example.com> saved');
      return { ok: true };
    });
    fastify.get('/health', async () => ({ ok: true }));
    return { fastify, lines };
  };

  it('tags what a request logs with its id and masks personal data', async () => {
    const { fastify, lines } = await boot('info');
    const res = await fastify.inject({
      method: 'POST',
      url: '/api/v1/customers?q=13912345678',
      payload: { name: 'x' },
      headers: { authorization: 'Bearer secret' },
    });
    await fastify.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reqId: 'req-42', msg: 'client 138****5678 <w***@example.com> saved' }),
      expect.objectContaining({
        level: 30,
        reqId: 'req-42',
        req: { id: 'req-42', method: 'POST', url: '/api/v1/customers?q=139****5678' },
        res: { statusCode: 200 },
        msg: 'request completed',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('logs hostile paths without the secrets in them', async () => {
    const { fastify, lines } = await boot('info');
    const secret = 'Zs9qXyVw3kLm0pQr7tUv2wXy5zAb8cDe1fGh4iJk6lM';
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${secret}.c2ln`;
    for (const url of [
      `/%73/${secret}`,
      `/%2575/${secret}`,
      `/admin/queues?%74oken=${jwt}`,
      `/x?q=%2B86%20139%201234%205678&m=li%40example.com`,
    ]) {
      await fastify.inject({ method: 'GET', url });
    }
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const leak of [secret, '13912345678', '1234 5678', 'li@example.com', 'li%40'])
      expect(text).not.toContain(leak);
  });

  it('writes nothing below its level', async () => {
    const { fastify, lines } = await boot('error');
    await fastify.inject({ method: 'POST', url: '/api/v1/customers', payload: {} });
    expect(lines).toEqual([]);
  });
});
