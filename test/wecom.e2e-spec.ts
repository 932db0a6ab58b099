import { Clock } from '@app/common';
import { WecomApiClient, WecomApiError } from '@app/wecom';

import { customerBody, Team, twoTeams } from './support/factories';
import { FakeWecom } from './support/fake-wecom';
import { bootApp, TestApp } from './support/test-app';

const WECOM_OFF = {
  corpId: null,
  agentId: null,
  enabled: false,
  contactSecret: null,
  agentSecret: null,
  callbackToken: null,
  encodingAesKey: null,
};

describe('WeCom (企业微信): connection, binding', () => {
  let t: TestApp;
  let fake: FakeWecom;
  let admin: string;
  let ours: Team;
  let clock: Clock;

  beforeAll(async () => {
    fake = await new FakeWecom().start();
    t = await bootApp({ env: { WECOM_BASE_URL: fake.url, WECOM_TIMEOUT_MS: '1000' } });
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
  });
  afterEach(() => {
    clock.reset();
    fake.clearFailures();
  });
  afterAll(async () => {
    // The shared database's settings as other files expect them: WeCom off.
    await t.as(admin).patch('/api/v1/settings', { wecom: WECOM_OFF });
    await t.close();
    await fake.stop();
  });

  it('keeps the secrets encrypted at rest, never answers them, and lets only an admin set them', async () => {
    const refused = await t.as(ours.manager.token).patch('/api/v1/settings', { wecom: fake.settings() });
    expect(refused.status).toBe(403);

    // Turning WeCom on without the 客户联系 secret is refused, naming the field.
    const incomplete = await t.as(admin).patch('/api/v1/settings', { wecom: { corpId: fake.corpId, enabled: true } });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.fields).toEqual([
      { field: 'wecom.enabled', code: 'wecomIncomplete', params: { missing: ['contactSecret'] } },
    ]);

    const saved = await t.as(admin).patch('/api/v1/settings', {
      wecom: { ...fake.settings(), callbackToken: 'Tok3nFromWecom', encodingAesKey: 'a'.repeat(43) },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.wecom).toEqual({
      corpId: fake.corpId,
      agentId: fake.agentId,
      enabled: true,
      contactSecretSet: true,
      agentSecretSet: true,
      callbackTokenSet: true,
      encodingAesKeySet: true,
    });
    // A butler reads the settings too, without any secret.
    const read = await t.as(ours.butler.token).get('/api/v1/settings');
    expect(JSON.stringify(read.body)).not.toContain(fake.contactSecret);
    expect(read.body.wecom.contactSecretSet).toBe(true);

    const [stored] = await t.db.query(`SELECT value FROM settings WHERE section = 'wecom'`);
    const text = JSON.stringify(stored.value);
    for (const secret of [fake.contactSecret, fake.agentSecret, 'Tok3nFromWecom', 'a'.repeat(43)])
      expect(text).not.toContain(secret);
    expect(stored.value.contactSecret).toMatch(/^v1:/);

    // What GET answered can be sent back as it is (the *Set flags are ignored), secrets kept.
    const roundTrip = await t.as(admin).patch('/api/v1/settings', { wecom: read.body.wecom });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body.wecom.contactSecretSet).toBe(true);

    const bad = await t.as(admin).patch('/api/v1/settings', { wecom: { encodingAesKey: 'short', corpId: 'a b' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'wecom.corpId',
      'wecom.encodingAesKey',
    ]);
  });

  it('fetches one access token per app, shares it, and fetches a new one once when WeCom refuses it', async () => {
    const api = t.app.get(WecomApiClient);
    fake.addContact({
      externalUserId: fake.newExternalUserId(),
      name: '王总',
      followers: [{ userid: 'token-butler' }],
    });
    const before = fake.calls('/cgi-bin/gettoken').length;
    // Ten calls at once: one gettoken (the others wait for its token through Redis).
    const lists = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.get<{ external_userid: string[] }>('/cgi-bin/externalcontact/list', { userid: 'token-butler' }, 'contact'),
      ),
    );
    expect(lists.every((l) => l.external_userid.length === 1)).toBe(true);
    expect(fake.calls('/cgi-bin/gettoken').length - before).toBe(1);

    // Expired at WeCom (42001): one new token, the call made again, the caller sees an answer.
    fake.expireTokens();
    const again = await api.get<{ external_userid: string[] }>(
      '/cgi-bin/externalcontact/list',
      { userid: 'token-butler' },
      'contact',
    );
    expect(again.external_userid).toHaveLength(1);
    expect(fake.calls('/cgi-bin/gettoken').length - before).toBe(2);

    // The agent app has its own token; a contact route with it would be 48002 at WeCom.
    await api.get('/cgi-bin/ticket/get', { type: 'agent_config' }, 'agent');
    expect(fake.calls('/cgi-bin/gettoken').length - before).toBe(3);

    // Any other errcode reaches the caller as WecomApiError with WeCom's errcode and errmsg.
    const error = await api
      .get('/cgi-bin/externalcontact/list', { userid: 'nobody-here' }, 'contact')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ errcode: 60111, errmsg: 'invalid userid' });
  });

  it('binds a butler to a WeCom userid (admin) and a client to an external contact (their butler)', async () => {
    const bound = await t.as(admin).patch(`/api/v1/users/${ours.butler.id}`, { wecomUserId: 'li.na' });
    expect(bound.status).toBe(200);
    expect(bound.body.wecomUserId).toBe('li.na');
    const taken = await t.as(admin).patch(`/api/v1/users/${ours.colleague.id}`, { wecomUserId: 'li.na' });
    expect(taken.status).toBe(400);
    expect(taken.body.fields).toEqual([{ field: 'wecomUserId', code: 'wecomUserIdTaken', params: {} }]);
    const byButler = await t.as(ours.butler.token).patch(`/api/v1/users/${ours.butler.id}`, { wecomUserId: 'me' });
    expect(byButler.status).toBe(403);

    const externalId = fake.newExternalUserId();
    const client = await t
      .as(ours.butler.token)
      .post('/api/v1/customers', customerBody({ externalUserId: externalId }));
    expect(client.status).toBe(201);
    expect(client.body.externalUserId).toBe(externalId);
    const other = await t.as(ours.butler.token).post('/api/v1/customers', customerBody());
    const clash = await t.as(ours.butler.token).patch(`/api/v1/customers/${other.body.id}`, {
      externalUserId: externalId,
    });
    expect(clash.status).toBe(400);
    expect(clash.body.fields).toEqual([{ field: 'externalUserId', code: 'externalUserIdTaken', params: {} }]);
    const cleared = await t.as(ours.butler.token).patch(`/api/v1/customers/${client.body.id}`, {
      externalUserId: null,
    });
    expect(cleared.body.externalUserId).toBeNull();
    const moved = await t.as(ours.butler.token).patch(`/api/v1/customers/${other.body.id}`, {
      externalUserId: externalId,
    });
    expect(moved.body.externalUserId).toBe(externalId);
  });
});
