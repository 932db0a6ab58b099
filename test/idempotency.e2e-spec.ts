import { randomUUID } from 'node:crypto';

import { customerBody, Team, twoTeams } from './support/factories';
import { bootApp, request, TestApp } from './support/test-app';

// Found by a fault-injection run: creating a case answered 500 after it had committed (PostgreSQL
// restarting in between), the client retried, and the case existed two or three times. A POST
// that creates a record takes an Idempotency-Key: a retry gets the first answer, never a second record.
describe('Idempotency-Key', () => {
  let t: TestApp;
  let ours: Team;
  let theirs: Team;
  let clientId: string;

  beforeAll(async () => {
    t = await bootApp();
    ({ ours, theirs } = await twoTeams(t));
    clientId = (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (token: string, url: string, body: unknown, key?: string) =>
    request(t.app, 'POST', url, { token, body: body as object, headers: key ? { 'idempotency-key': key } : {} });
  const casesOf = async (summary: string) =>
    t.db.query(`SELECT id FROM cases WHERE customer_id = $1 AND summary = $2`, [clientId, summary]);

  it('answers a retry with the first answer and creates one record', async () => {
    const key = `case-${randomUUID()}`;
    const body = { customerId: clientId, type: 'quality', channel: 'phone', summary: `渗漏 ${key}` };
    const first = await post(ours.butler.token, '/api/v1/cases', body, key);
    const retry = await post(ours.butler.token, '/api/v1/cases', body, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await casesOf(body.summary)).toHaveLength(1);
    // Without a key, two posts are two cases, as before.
    const plain = { ...body, summary: `无键 ${key}` };
    await post(ours.butler.token, '/api/v1/cases', plain);
    await post(ours.butler.token, '/api/v1/cases', plain);
    expect(await casesOf(plain.summary)).toHaveLength(2);
  });

  it('refuses the same key with another request (422), and a malformed key (400)', async () => {
    const key = `client-${randomUUID()}`;
    expect((await post(ours.butler.token, '/api/v1/customers', customerBody(), key)).status).toBe(201);
    const other = await post(ours.butler.token, '/api/v1/customers', customerBody(), key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await post(ours.butler.token, '/api/v1/customers', customerBody(), 'short');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
  });

  it('keeps keys per user, and frees the key of a request that failed cleanly', async () => {
    const key = `note-${randomUUID()}`;
    const mine = await post(ours.butler.token, '/api/v1/customers', customerBody(), key);
    const theirsToo = await post(theirs.butler.token, '/api/v1/customers', customerBody(), key);
    expect([mine.status, theirsToo.status]).toEqual([201, 201]);
    expect(theirsToo.body.id).not.toBe(mine.body.id);

    const retryable = `fix-${randomUUID()}`;
    // Refused by validation, after the key was claimed: the key is freed for the corrected request.
    const invalid = await post(
      ours.manager.token,
      '/api/v1/follow-ups',
      { customerId: clientId, butlerId: ours.butler.id },
      retryable,
    );
    expect(invalid.status).toBe(400);
    expect(await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [retryable])).toEqual([]);
    const fixed = await post(
      ours.manager.token,
      '/api/v1/follow-ups',
      { customerId: clientId, butlerId: ours.butler.id, dueAt: new Date().toISOString() },
      retryable,
    );
    expect(fixed.status).toBe(201);
  });

  it(
    'answers 409 while the first attempt runs or its outcome was never recorded, ' + 'rather than doing it twice',
    async () => {
      const key = `lost-${randomUUID()}`;
      const body = { customerId: clientId, type: 'inquiry', channel: 'phone', summary: `结果未知 ${key}` };
      const hash = (await import('node:crypto'))
        .createHash('sha256')
        .update(`POST /api/v1/cases\n${JSON.stringify(body)}`)
        .digest('hex');
      // As a first attempt leaves it when PostgreSQL went away between its commit and its answer.
      await t.db.query(`INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)`, [
        ours.butler.id,
        key,
        hash,
      ]);
      const retry = await post(ours.butler.token, '/api/v1/cases', body, key);
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
      expect(await casesOf(body.summary)).toHaveLength(0);
    },
  );
});
