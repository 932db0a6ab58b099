import { redactUrl } from './logging.module';

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
