import { createHash, randomBytes } from 'node:crypto';

import { Clock } from '@app/common';
import { WecomTransfersService } from '@app/wecom';

import { customerBody, Team, twoTeams } from './support/factories';
import { FakeWecom } from './support/fake-wecom';
import { FakeWecomCallbacks } from './support/fake-wecom-callbacks';
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

const NOW = new Date('2027-03-10T02:00:00Z');
const alnum = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

describe('WeCom callbacks, chat toolbar and hand-over', () => {
  let t: TestApp;
  let fake: FakeWecom;
  let sender: FakeWecomCallbacks;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  // WeCom userids of this run (the database is shared with other files).
  const run = alnum(6).toLowerCase();
  const butlerUserId = `b-${run}`;
  const colleagueUserId = `c-${run}`;
  const theirUserId = `t-${run}`;

  const events = async (externalUserId: string) =>
    (await t.db.query(`SELECT * FROM wecom_contact_events WHERE external_user_id = $1 ORDER BY occurred_at`, [
      externalUserId,
    ])) as { change_type: string; customer_id: string | null; matched_by: string | null }[];

  const newClient = async (token: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; mobile: string };
  };

  beforeAll(async () => {
    fake = await new FakeWecom().start();
    t = await bootApp({ env: { WECOM_BASE_URL: fake.url, WECOM_TIMEOUT_MS: '2000' } });
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(NOW);
    fake.now = () => clock.now().getTime();
    const keys = { token: alnum(24), encodingAesKey: alnum(43), receiveId: fake.corpId };
    sender = new FakeWecomCallbacks(keys, () => clock.now());
    const saved = await t.as(admin).patch('/api/v1/settings', {
      wecom: { ...fake.settings(), callbackToken: keys.token, encodingAesKey: keys.encodingAesKey },
    });
    expect(saved.status).toBe(200);
    fake.addMember(butlerUserId, colleagueUserId, theirUserId);
    for (const [id, userid] of [
      [ours.butler.id, butlerUserId],
      [ours.colleague.id, colleagueUserId],
      [theirs.butler.id, theirUserId],
    ])
      expect((await t.as(admin).patch(`/api/v1/users/${id}`, { wecomUserId: userid })).status).toBe(200);
  });
  afterAll(async () => {
    await t.as(admin).patch('/api/v1/settings', { wecom: WECOM_OFF });
    for (const id of [ours.butler.id, ours.colleague.id, theirs.butler.id])
      await t.as(admin).patch(`/api/v1/users/${id}`, { wecomUserId: null });
    clock.reset();
    await t.close();
    await fake.stop();
  });

  describe('the callback URL', () => {
    it("answers WeCom's URL check with the decrypted echostr, refuses a wrong or stale signature", async () => {
      const ok = await sender.verifyUrl(t.app, '8102380452739850372');
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('8102380452739850372');

      expect((await sender.verifyUrl(t.app, '1', { tamper: 'signature' })).status).toBe(401);
      const stale = await sender.verifyUrl(t.app, '1', { timestamp: Math.floor(NOW.getTime() / 1000) - 301 });
      expect(stale.status).toBe(401);
      expect(JSON.parse(stale.body).code).toBe('WECOM_CALLBACK_REPLAYED');
    });

    it('refuses forged, undecryptable, foreign and replayed messages, and changes nothing', async () => {
      const client = await newClient(ours.butler.token);
      const externalUserId = fake.newExternalUserId();
      await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { externalUserId });
      const event = { changeType: 'del_follow_user' as const, userId: butlerUserId, externalUserId };

      const forged = await sender.send(t.app, event, { tamper: 'signature' });
      expect(forged.status).toBe(401);
      expect(JSON.parse(forged.body).code).toBe('WECOM_CALLBACK_SIGNATURE');
      const garbled = await sender.send(t.app, event, { tamper: 'body' });
      expect(garbled.status).toBe(400);
      expect(JSON.parse(garbled.body).code).toBe('WECOM_CALLBACK_UNREADABLE');
      expect((await sender.send(t.app, event, { tamper: 'corp' })).status).toBe(400);
      const notXml = await sender.postRaw(t.app, sender.sign('<xml/>').query, '{"Encrypt":"x"}');
      expect(notXml.status).toBe(400);
      const old = await sender.send(t.app, event, { timestamp: Math.floor(NOW.getTime() / 1000) - 600 });
      expect(old.status).toBe(401);
      // XML is read by the callback route only.
      const elsewhere = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { 'content-type': 'text/xml', authorization: `Bearer ${ours.butler.token}` },
        payload: '<xml/>',
      });
      expect(elsewhere.statusCode).toBe(415);

      expect(await events(externalUserId)).toEqual([]);
      const metrics = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/metrics`);
      expect(metrics.body.churnRisk.reasons).toEqual([]);

      // The same signed message twice: the second is a replay.
      const plain = sender.eventXml({ changeType: 'edit_external_contact', userId: butlerUserId, externalUserId });
      const signed = sender.sign(plain);
      expect((await sender.postRaw(t.app, signed.query, sender.envelope(signed.encrypt))).status).toBe(200);
      const replay = await sender.postRaw(t.app, signed.query, sender.envelope(signed.encrypt));
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.body).code).toBe('WECOM_CALLBACK_REPLAYED');
      expect((await events(externalUserId)).map((e) => e.change_type)).toEqual(['edit_external_contact']);
    });
  });

  describe('external contact changes', () => {
    it('binds a new contact to the butler’s client by the remark mobile, or records it unmatched', async () => {
      const client = await newClient(ours.butler.token, { name: '赵德明' });
      const externalUserId = fake.newExternalUserId();
      fake.addContact({
        externalUserId,
        name: '赵总',
        followers: [{ userid: butlerUserId, remark: '赵总', remarkMobiles: [client.mobile] }],
      });
      const res = await sender.send(t.app, {
        changeType: 'add_external_contact',
        userId: butlerUserId,
        externalUserId,
      });
      expect(res.status).toBe(200);
      expect(res.body).toBe('success');
      const read = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`);
      expect(read.body.externalUserId).toBe(externalUserId);
      expect((await events(externalUserId))[0]).toMatchObject({ customer_id: client.id, matched_by: 'mobile' });

      // Nobody on the butler's book: recorded unmatched, nothing bound.
      const stranger = fake.newExternalUserId();
      fake.addContact({
        externalUserId: stranger,
        name: '陌生人',
        followers: [{ userid: butlerUserId, remark: '某某' }],
      });
      expect(
        (
          await sender.send(t.app, {
            changeType: 'add_external_contact',
            userId: butlerUserId,
            externalUserId: stranger,
          })
        ).status,
      ).toBe(200);
      expect((await events(stranger))[0]).toMatchObject({ customer_id: null, matched_by: null });
    });

    it('flags the client at risk within a second when they delete their butler, and alerts the manager', async () => {
      const client = await newClient(ours.butler.token, { name: '钱伟' });
      const externalUserId = fake.newExternalUserId();
      await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { externalUserId });

      const started = performance.now();
      const res = await sender.send(t.app, { changeType: 'del_follow_user', userId: butlerUserId, externalUserId });
      expect(res.status).toBe(200);
      const metrics = await t.as(ours.manager.token).get(`/api/v1/customers/${client.id}/metrics`);
      const elapsed = performance.now() - started;
      expect(metrics.body.churnRisk.atRisk).toBe(true);
      expect(metrics.body.churnRisk.reasons).toEqual([
        { code: 'wecom_removed', message: '客户已在企业微信删除了管家（2027-03-10）' },
      ]);
      expect(elapsed).toBeLessThan(1000);
      console.log(`del_follow_user → at risk in ${elapsed.toFixed(0)} ms`);

      // The at-risk list and the churn report say so too.
      const list = await t.as(ours.manager.token).get(`/api/v1/customers?atRisk=true&q=${encodeURIComponent('钱伟')}`);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(client.id);
      const churn = await t.as(ours.manager.token).get('/api/v1/reports/churn?limit=200');
      const row = churn.body.items.find((c: { customerId: string }) => c.customerId === client.id);
      expect(row.reasons.map((r: { code: string }) => r.code)).toEqual(['wecom_removed']);

      // The manager's alert is an outbox message (email), pending to be sent.
      const [alert] = await t.db.query(
        `SELECT purpose, template, to_address, status, context FROM messages WHERE key LIKE $1`,
        [`wecom-removed:${client.id}:%`],
      );
      expect(alert).toMatchObject({ purpose: 'recovery_alert', template: 'wecom-removed-alert', status: 'pending' });
      expect(alert.to_address).toBe(ours.manager.email);
      expect(alert.context).toMatchObject({ customerName: '钱伟', clientUrl: expect.stringContaining(client.id) });

      // The client adds the butler again: no longer at risk for it.
      await sender.send(t.app, { changeType: 'add_external_contact', userId: butlerUserId, externalUserId });
      const after = await t.as(ours.manager.token).get(`/api/v1/customers/${client.id}/metrics`);
      expect(after.body.churnRisk.reasons).toEqual([]);
    });

    it("logs the butler deleting the client on the client's timeline", async () => {
      const client = await newClient(ours.butler.token);
      const externalUserId = fake.newExternalUserId();
      await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { externalUserId });
      await sender.send(t.app, { changeType: 'del_external_contact', userId: butlerUserId, externalUserId });
      const timeline = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/timeline`);
      const wecom = timeline.body.items.filter((e: { type: string }) => e.type === 'wecom');
      expect(wecom).toHaveLength(1);
      expect(wecom[0].data).toMatchObject({ changeType: 'del_external_contact', butlerId: ours.butler.id });
      const metrics = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/metrics`);
      expect(metrics.body.churnRisk.reasons).toEqual([]);
    });
  });

  describe('the chat toolbar', () => {
    it('signs the butler in with WeCom’s OAuth2 code, once, and refuses an unbound member', async () => {
      const url = 'https://crm.example.com/wecom/sidebar';
      const session = await t.anonymous.post('/api/v1/wecom/sidebar/session', {
        code: fake.oauthCode(butlerUserId),
        url,
      });
      expect(session.status).toBe(200);
      // The JS-SDK signatures come with the session, for the page's URL.
      expect(session.body.jsConfig).toMatchObject({ corpId: fake.corpId, agentId: String(fake.agentId) });
      const me = await t.as(session.body.accessToken).get('/api/v1/me');
      expect(me.body.id).toBe(ours.butler.id);

      const unbound = await t.anonymous.post('/api/v1/wecom/sidebar/session', { code: fake.oauthCode('nobody-here') });
      expect(unbound.status).toBe(401);
      expect(unbound.body.code).toBe('WECOM_USER_NOT_BOUND');
      const junk = await t.anonymous.post('/api/v1/wecom/sidebar/session', { code: 'not-a-code' });
      expect(junk.status).toBe(401);
      expect(junk.body.code).toBe('WECOM_OAUTH_FAILED');
    });

    it('signs wx.config and wx.agentConfig for the page URL with the two tickets', async () => {
      const url = 'https://crm.example.com/wecom/sidebar?from=chat';
      const res = await t.as(ours.butler.token).get(`/api/v1/wecom/sidebar/js-config?url=${encodeURIComponent(url)}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ corpId: fake.corpId, agentId: String(fake.agentId) });
      const sha1 = (ticket: string, s: { nonceStr: string; timestamp: number }) =>
        createHash('sha1')
          .update(`jsapi_ticket=${ticket}&noncestr=${s.nonceStr}&timestamp=${s.timestamp}&url=${url}`)
          .digest('hex');
      expect(res.body.config.signature).toBe(sha1(fake.jsapiTicket, res.body.config));
      expect(res.body.agentConfig.signature).toBe(sha1(fake.agentTicket, res.body.agentConfig));
      // Stamped by the app's Clock (set to NOW, and running on).
      expect(res.body.config.timestamp - Math.floor(NOW.getTime() / 1000)).toBeGreaterThanOrEqual(0);
      expect(res.body.config.timestamp - Math.floor(NOW.getTime() / 1000)).toBeLessThan(600);
      // Tickets are fetched once and shared.
      await t.as(ours.butler.token).get(`/api/v1/wecom/sidebar/js-config?url=${encodeURIComponent(url)}`);
      expect(fake.calls('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
      expect((await t.as(ours.butler.token).get('/api/v1/wecom/sidebar/js-config?url=nope')).status).toBe(400);
    });

    it('finds the client of a contact within the access policy, and links an unbound one', async () => {
      const mine = await newClient(ours.butler.token);
      const theirsClient = await newClient(theirs.butler.token);
      const theirExternal = fake.newExternalUserId();
      await t.as(theirs.butler.token).patch(`/api/v1/customers/${theirsClient.id}`, { externalUserId: theirExternal });

      // Another team's client reads as unbound; linking it to it is a 404.
      const other = await t.as(ours.butler.token).get(`/api/v1/wecom/contacts/${theirExternal}`);
      expect(other.body).toEqual({ externalUserId: theirExternal, customerId: null, customer: null });
      const externalUserId = fake.newExternalUserId();
      const foreign = await t
        .as(ours.butler.token)
        .post(`/api/v1/wecom/contacts/${externalUserId}/bind`, { customerId: theirsClient.id });
      expect(foreign.status).toBe(404);

      const linked = await t
        .as(ours.butler.token)
        .post(`/api/v1/wecom/contacts/${externalUserId}/bind`, { customerId: mine.id });
      expect(linked.body).toMatchObject({ externalUserId, customerId: mine.id, customer: { id: mine.id } });
      const read = await t.as(ours.butler.token).get(`/api/v1/wecom/contacts/${externalUserId}`);
      expect(read.body.customerId).toBe(mine.id);
      // A contact held by another client: 409; a malformed id: 400.
      const taken = await t
        .as(theirs.butler.token)
        .post(`/api/v1/wecom/contacts/${externalUserId}/bind`, { customerId: theirsClient.id });
      expect(taken.status).toBe(409);
      expect((await t.as(ours.butler.token).get(`/api/v1/wecom/contacts/${'x'.repeat(65)}`)).status).toBe(400);
    });
  });

  describe('hand-over', () => {
    it('moves the WeCom relationship of bulk-reassigned clients (在职继承), within the 2-in-90-days limit', async () => {
      const moved = await newClient(ours.butler.token, { name: '孙立' });
      const limited = await newClient(ours.butler.token, { name: '周强' });
      const offline = await newClient(ours.butler.token, { name: '吴敏' });
      const [movedExt, limitedExt] = [fake.newExternalUserId(), fake.newExternalUserId()];
      for (const [client, ext] of [
        [moved, movedExt],
        [limited, limitedExt],
      ] as const) {
        fake.addContact({ externalUserId: ext, name: client.name, followers: [{ userid: butlerUserId }] });
        await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { externalUserId: ext });
      }
      // Two transfers of `limited` WeCom already took on in the last 90 days.
      for (const days of [80, 10])
        await t.db.query(
          `INSERT INTO wecom_transfers (customer_id, kind, from_butler_id, to_butler_id, external_user_id, status,
                                        requested_at)
           VALUES ($1, 'on_job', $2, $3, $4, 'succeeded', $5)`,
          [limited.id, ours.colleague.id, ours.butler.id, limitedExt, new Date(NOW.getTime() - days * 86_400_000)],
        );

      const bulk = await t.as(ours.manager.token).post('/api/v1/customers/bulk-assign', {
        customerIds: [moved.id, limited.id, offline.id],
        butlerId: ours.colleague.id,
      });
      expect(bulk.body).toEqual({ assigned: 3 });
      const transfers = t.app.get(WecomTransfersService);
      await transfers.runQueued();

      const call = fake.calls('/cgi-bin/externalcontact/transfer_customer').at(-1)!;
      expect(call.body).toMatchObject({
        handover_userid: butlerUserId,
        takeover_userid: colleagueUserId,
        external_userid: [movedExt],
      });
      const list = async () =>
        (await t.as(ours.manager.token).get('/api/v1/wecom/transfers?limit=200')).body.items.filter(
          (x: { customerId: string }) => [moved.id, limited.id, offline.id].includes(x.customerId),
        ) as { customerName: string; status: string; reason: string | null; kind: string; requestedAt: string }[];
      // This reassignment's rows (not the two older ones inserted above).
      const requestedNow = async () =>
        (await list()).filter((x) => Date.parse(x.requestedAt) > NOW.getTime() - 86_400_000);
      expect((await requestedNow()).map((x) => [x.customerName, x.status, x.reason]).sort()).toEqual([
        ['周强', 'skipped', 'limit_90_days'],
        ['孙立', 'waiting', null],
      ]);

      // 24 h later WeCom has handed the contact over: the poller reads transfer_result.
      clock.travelTo(new Date(NOW.getTime() + 25 * 3_600_000));
      fake.completeTransfers();
      await transfers.checkWaiting();
      expect((await requestedNow()).find((x) => x.customerName === '孙立')).toMatchObject({
        status: 'succeeded',
        kind: 'on_job',
      });
      expect(fake.contacts.get(movedExt)!.followers.map((f) => f.userid)).toEqual([colleagueUserId]);
      clock.travelTo(NOW);

      // Butlers do not read the hand-over report; another team's manager sees none of it.
      expect((await t.as(ours.butler.token).get('/api/v1/wecom/transfers')).status).toBe(403);
      const otherManager = await t.as(theirs.manager.token).get('/api/v1/wecom/transfers?limit=200');
      expect(otherManager.body.items.some((x: { customerId: string }) => x.customerId === moved.id)).toBe(false);
    });

    it("uses 离职继承 for a deactivated butler's clients, and records WeCom's refusal", async () => {
      const leaver = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id });
      const leaverUserId = `l-${run}`;
      fake.addMember(leaverUserId);
      await t.as(admin).patch(`/api/v1/users/${leaver.id}`, { wecomUserId: leaverUserId });
      const client = await newClient(admin, { butlerId: leaver.id, name: '郑华' });
      const refused = await newClient(admin, { butlerId: leaver.id, name: '冯磊' });
      const [ext, notHis] = [fake.newExternalUserId(), fake.newExternalUserId()];
      fake.addContact({ externalUserId: ext, name: '郑总', followers: [{ userid: leaverUserId }] });
      await t.as(admin).patch(`/api/v1/customers/${client.id}`, { externalUserId: ext });
      await t.as(admin).patch(`/api/v1/customers/${refused.id}`, { externalUserId: notHis });
      // Left the company with their book still on them (as an import can leave it).
      await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [leaver.id]);

      await t.as(ours.manager.token).post('/api/v1/customers/bulk-assign', {
        customerIds: [client.id, refused.id],
        butlerId: ours.colleague.id,
      });
      await t.app.get(WecomTransfersService).runQueued();
      expect(fake.calls('/cgi-bin/externalcontact/resigned/transfer_customer').at(-1)!.body).toMatchObject({
        handover_userid: leaverUserId,
        external_userid: expect.arrayContaining([ext, notHis]),
      });
      const rows = (await t.as(ours.manager.token).get('/api/v1/wecom/transfers?limit=200')).body.items.filter(
        (x: { customerId: string }) => [client.id, refused.id].includes(x.customerId),
      );
      expect(
        rows.map((x: Record<string, unknown>) => [x.customerName, x.kind, x.status, x.reason, x.errcode]).sort(),
      ).toEqual([
        ['冯磊', 'resigned', 'failed', 'not_contact', 84061],
        ['郑华', 'resigned', 'waiting', null, null],
      ]);
    });
  });
});
