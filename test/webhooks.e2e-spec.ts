import type { IncomingMessage, ServerResponse } from 'node:http';

import { Clock } from '@app/common';
import { verifySignature } from '@app/webhooks';

import { customerBody, Member, Team, twoTeams } from './support/factories';
import { FakeHttpServer } from './support/fake-http-server';
import { answerAfterCall } from './support/surveys';
import { bootApp, eventually, TestApp } from './support/test-app';

interface Received {
  id: string;
  event: string;
  signatureValid: boolean;
  body: { id: string; type: string; createdAt: string; data: Record<string, any> };
}

// A receiver on loopback, as an integrator would write one: it checks the signature with the
// secret it was shown, and answers what the test tells it to.
class Receiver extends FakeHttpServer {
  readonly received: Received[] = [];
  secret = '';
  answers: number[] = [];

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    this.received.push({
      id: String(req.headers['butler-webhook-id']),
      event: String(req.headers['butler-webhook-event']),
      signatureValid: verifySignature(
        this.secret,
        req.headers['butler-signature'] as string | undefined,
        body,
        Math.floor(Date.now() / 1000),
      ),
      body: JSON.parse(body) as Received['body'],
    });
    res.statusCode = this.answers.shift() ?? 200;
    res.end(res.statusCode === 200 ? 'ok' : 'receiver down for maintenance');
  }

  of(event: string): Received[] {
    return this.received.filter((r) => r.event === event);
  }
}

// Outbound webhooks (issue 18 part 6): signed, through the outbox, exactly once, with a log.
describe('webhooks', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  const all = new Receiver();
  const casesOnly = new Receiver();

  beforeAll(async () => {
    await all.start();
    await casesOnly.start();
    t = await bootApp({ withWorkers: true });
    ({ admin, ours } = await twoTeams(t));
    // Other files (the fuzzer, the OpenAPI bodies) leave endpoints in the shared database: this
    // file's lists start from none.
    for (const endpoint of (await t.as(admin).get('/api/v1/webhooks')).body.items as { id: string }[])
      expect((await t.as(admin).delete(`/api/v1/webhooks/${endpoint.id}`)).status).toBe(204);
    clock = t.app.get(Clock);
    clock.travelTo(new Date('2027-05-10T10:00:00+08:00'));
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
    await all.stop();
    await casesOnly.stop();
  });

  const newClient = async (butler: Member) =>
    (await t.as(butler.token).post('/api/v1/customers', customerBody({ name: '冯回调', city: '南京' }))).body as {
      id: string;
    };

  const answer = (butler: Member, customerId: string, form: string) =>
    answerAfterCall(t, butler, customerId, form, clock.now());

  let allId: string;
  let casesOnlyId: string;

  it('lets an admin add an endpoint and shows its secret once', async () => {
    const made = await t.as(admin).post('/api/v1/webhooks', {
      url: `${all.url}/hooks/butler`,
      description: '数据仓库',
      events: ['survey.answered', 'survey.detractor', 'case.changed'],
    });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    all.secret = made.body.secret;
    allId = made.body.id;
    const other = await t.as(admin).post('/api/v1/webhooks', { url: `${casesOnly.url}/x`, events: ['case.changed'] });
    casesOnly.secret = other.body.secret;
    casesOnlyId = other.body.id;
    const listed = await t.as(admin).get('/api/v1/webhooks');
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([allId, casesOnlyId]);
    expect(listed.text).not.toContain(all.secret);
    // Stored sealed, not as the secret itself.
    const [row] = await t.db.query(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [allId]);
    expect(row.secret_sealed).toMatch(/^v1:/);
    expect(row.secret_sealed).not.toContain(all.secret.slice(6));
    expect(
      (await t.as(ours.manager.token).post('/api/v1/webhooks', { url: all.url, events: ['case.changed'] })).status,
    ).toBe(403);
  });

  it('refuses a URL that is not http(s), naming the field', async () => {
    for (const url of ['ftp://example.com/hook', 'javascript:alert(1)', 'http://user:pw@example.com/', 'hooks']) {
      const res = await t.as(admin).post('/api/v1/webhooks', { url, events: ['case.changed'] });
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field: 'url', code: 'httpUrl', params: {} }]);
    }
    const bad = await t.as(admin).patch(`/api/v1/webhooks/${allId}`, { url: 'gopher://x' });
    expect(bad.body.fields[0]).toMatchObject({ field: 'url', code: 'httpUrl' });
    const events = await t.as(admin).post('/api/v1/webhooks', { url: all.url, events: ['survey.deleted'] });
    expect(events.status).toBe(400);
    expect(events.body.fields[0].field).toBe('events');
  });

  it('delivers a signed survey.answered and survey.detractor, once each, to the endpoints subscribed', async () => {
    const client = await newClient(ours.butler);
    const responseId = await answer(ours.butler, client.id, 'csat=1&nps=2&comment=' + encodeURIComponent('送货太慢'));
    await eventually(
      () => Promise.resolve(all.received.length),
      (n) => n >= 2,
    );
    const answered = all.of('survey.answered');
    const detractor = all.of('survey.detractor');
    expect(answered).toHaveLength(1);
    expect(detractor).toHaveLength(1);
    for (const r of [...answered, ...detractor]) {
      expect(r.signatureValid).toBe(true);
      expect(r.body.id).toBe(r.id);
    }
    expect(answered[0].body).toMatchObject({
      type: 'survey.answered',
      data: {
        response: { id: responseId, csat: 1, nps: 2, comment: '送货太慢', source: 'follow_up' },
        client: { id: client.id, name: '冯回调', city: '南京', tier: 'gold' },
        butler: { id: ours.butler.id },
      },
    });
    expect(detractor[0].id).not.toBe(answered[0].id);
    // A happy answer is answered only; nothing reaches the case-only endpoint.
    const happy = await newClient(ours.butler);
    await answer(ours.butler, happy.id, 'csat=5&nps=10');
    await eventually(
      () => Promise.resolve(all.of('survey.answered').length),
      (n) => n >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(all.of('survey.answered')).toHaveLength(2);
    expect(all.of('survey.detractor')).toHaveLength(1);
    expect(casesOnly.received).toHaveLength(0);
    // Exactly once per event per endpoint: one message per (endpoint, event, response).
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM messages WHERE purpose = 'webhook' AND key LIKE $1`,
      [`webhook:${allId}:survey.%:${responseId}`],
    );
    expect(n).toBe(2);
  });

  it('delivers case.changed for an opened case and each status change, retrying a receiver that failed', async () => {
    const client = await newClient(ours.butler);
    casesOnly.answers = [503];
    const opened = await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'delivery',
      priority: 'high',
      channel: 'phone',
      summary: '酒箱破损',
    });
    expect(opened.status).toBe(201);
    await t.as(ours.butler.token).post(`/api/v1/cases/${opened.body.id}/transition`, { to: 'in_progress' });
    const mine = (r: Receiver) => r.of('case.changed').filter((x) => x.body.data.case.id === opened.body.id);
    await eventually(
      () => Promise.resolve(mine(all).length + mine(casesOnly).filter((x) => x.body.data.change === 'status').length),
      (n) => n >= 3,
    );
    const changes = mine(all).map((r) => [r.body.data.change, r.body.data.previousStatus, r.body.data.case.status]);
    expect(changes).toEqual([
      ['opened', null, 'open'],
      ['status', 'open', 'in_progress'],
    ]);
    expect(mine(all).every((r) => r.signatureValid)).toBe(true);
    // The case-only receiver refused the first delivery once (503): it came again, same id, signed.
    const retried = mine(casesOnly).filter((r) => r.body.data.change === 'opened');
    await eventually(
      () => Promise.resolve(mine(casesOnly).filter((r) => r.body.data.change === 'opened').length),
      (n) => n >= 2,
    );
    const twice = mine(casesOnly).filter((r) => r.body.data.change === 'opened');
    expect(twice).toHaveLength(2);
    expect(twice[0].id).toBe(twice[1].id);
    expect(retried.every((r) => r.signatureValid)).toBe(true);
    // The log says how each delivery went.
    const log = await eventually(
      () => t.as(admin).get(`/api/v1/webhooks/deliveries?endpointId=${casesOnlyId}`),
      (res) => res.body.items.some((d: { id: string; status: string }) => d.id === twice[0].id && d.status === 'sent'),
    );
    expect(log.body.items.find((d: { id: string }) => d.id === twice[0].id)).toMatchObject({
      endpointId: casesOnlyId,
      url: `${casesOnly.url}/x`,
      event: 'case.changed',
      status: 'sent',
      attempts: 2,
      responseCode: 200,
    });
  });

  it('gives up after the outbox attempts on a receiver that keeps failing, and logs its answer', async () => {
    all.answers = [500, 500, 500, 500];
    const client = await newClient(ours.butler);
    await answer(ours.butler, client.id, 'csat=4&nps=8');
    const log = await eventually(
      () => t.as(admin).get(`/api/v1/webhooks/deliveries?endpointId=${allId}&status=failed`),
      (res) => res.body.items.length > 0,
      20_000,
    );
    expect(log.body.items[0]).toMatchObject({
      event: 'survey.answered',
      status: 'failed',
      attempts: 4,
      responseCode: 500,
      lastError: 'HTTP 500: receiver down for maintenance',
    });
  });

  it('sends nothing to a paused endpoint, and signs with a rotated secret at once', async () => {
    await t.as(admin).patch(`/api/v1/webhooks/${casesOnlyId}`, { active: false });
    const rotated = await t.as(admin).post(`/api/v1/webhooks/${allId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(all.secret);
    all.secret = rotated.body.secret;
    const before = casesOnly.received.length;
    const client = await newClient(ours.butler);
    const opened = await t.as(ours.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'inquiry',
      channel: 'phone',
      summary: '询问年份酒',
    });
    const delivered = await eventually(
      () => Promise.resolve(all.of('case.changed').filter((r) => r.body.data.case.id === opened.body.id)),
      (rows) => rows.length > 0,
    );
    expect(delivered[0].signatureValid).toBe(true);
    expect(casesOnly.received.length).toBe(before);
    expect((await t.as(admin).delete(`/api/v1/webhooks/${casesOnlyId}`)).status).toBe(204);
    expect((await t.as(admin).get('/api/v1/webhooks')).body.items).toHaveLength(1);
  });
});
