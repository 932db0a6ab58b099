import { Writable } from 'node:stream';
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
    const res = await fastify.inject({ method: 'POST', url: '/api/v1/customers?q=13912345678', payload: { name: 'x' }, headers: { authorization: 'Bearer secret' } });
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

  it('writes nothing below its level', async () => {
    const { fastify, lines } = await boot('error');
    await fastify.inject({ method: 'POST', url: '/api/v1/customers', payload: {} });
    expect(lines).toEqual([]);
  });
});
