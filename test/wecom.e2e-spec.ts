import { randomInt } from 'node:crypto';

import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';

import { Clock } from '@app/common';
import { CampaignRunner } from '@app/greetings';
import { MailSenderService } from '@app/mail';
import { QUEUES } from '@app/queue';
import { SurveyDispatcher } from '@app/surveys';
import { WecomApiClient, WecomApiError, WecomTasksService } from '@app/wecom';

import { MailProcessor } from '../libs/mail/src/mail.processor';
import { customerBody, Member, Team, twoTeams } from './support/factories';
import { FakeWecom } from './support/fake-wecom';
import { bootApp, eventually, request, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const CAMPAIGNS = '/api/v1/greetings/campaigns';

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
    t = await bootApp({
      withWorkers: true,
      // The WeCom circuit, once open, lets a probe through this often.
      env: { WECOM_BASE_URL: fake.url, WECOM_TIMEOUT_MS: '1000', OUTBOX_PROBE_MS: '100' },
    });
    // The test plans, sends and polls itself, so nothing moves between its steps.
    await t.app.get<Queue>(getQueueToken(QUEUES.campaigns)).pause();
    await t.app.get<Queue>(getQueueToken(QUEUES.wecom)).pause();
    await t.app.get(MailProcessor).worker.pause(true);
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

  // --- the WeCom channel on the outbox ---

  // A client of `butler` reachable on WeCom: an external contact of the butler at WeCom, bound on
  // the client, with consent on WeCom (and on email, the next channel) and WeCom preferred.
  const wecomClient = async (butler: Member, userid: string, overrides: Record<string, unknown> = {}) => {
    const externalUserId = fake.newExternalUserId();
    fake.addContact({ externalUserId, name: '客户', followers: [{ userid }] });
    const res = await t.as(butler.token).post(
      '/api/v1/customers',
      customerBody({
        externalUserId,
        preferredChannel: 'wecom',
        consent: {
          channels: { greetings: { wecom: true, email: true }, surveys: { wecom: true } },
          source: 'store',
        },
        ...overrides,
      }),
    );
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; email: string; externalUserId: string };
  };
  const messagesOf = async (campaignId: string) =>
    new Map(
      (
        (await t.db.query(
          `SELECT customer_id, channel, to_address, status, skip_reason, provider_message_id, delivery_status,
                  delivery_error
             FROM messages WHERE campaign_id = $1`,
          [campaignId],
        )) as Record<string, string | null>[]
      ).map((m) => [m.customer_id!, m]),
    );
  // A mid-autumn campaign of our team for the clients tagged `tag`, planned and its batch sent.
  let midAutumnTemplate: string;
  const midAutumn = async (tag: string) => {
    midAutumnTemplate ??= (
      (await t.as(admin).get('/api/v1/templates')).body.items as { id: string; isDefault: boolean; occasion: string }[]
    ).find((x) => x.isDefault && x.occasion === 'mid_autumn')!.id;
    clock.travelTo(new Date('2027-09-10T10:00:00+08:00'));
    const created = await t.as(ours.manager.token).post(CAMPAIGNS, {
      name: `2027 中秋问候 ${tag}`,
      occasion: 'mid_autumn',
      templateId: midAutumnTemplate,
      sendAt: '2027-09-15T09:00:00+08:00',
      audience: { scope: 'team', tags: [tag] },
    });
    expect(created.status).toBe(201);
    clock.travelTo(new Date('2027-09-15T09:00:00+08:00'));
    await t.app.get(CampaignRunner).plan(created.body.id as string);
    return created.body.id as string;
  };
  const sendBatch = (campaignId: string) => t.app.get(CampaignRunner).sendBatch(campaignId, 0);
  const poll = () => t.app.get(WecomTasksService).pollOpen();
  // WeCom messages already handed over to a client this month (as the outbox records them).
  const alreadyOnWecom = async (customerId: string, n: number) => {
    for (let i = 0; i < n; i++)
      await t.db.query(
        `INSERT INTO messages (key, purpose, channel, customer_id, to_address, status, sent_at, attempts)
         VALUES ($1, 'greeting', 'wecom', $2, 'wmEarlier', 'sent', now(), 1)`,
        [`wecom-earlier:${customerId}:${i}:${randomInt(1e9)}`, customerId],
      );
  };

  it('turns a festival greeting into one 群发 task per butler, a to-do on 今日, and results on each message', async () => {
    expect((await t.as(admin).patch('/api/v1/settings', { wecom: fake.settings() })).status).toBe(200);
    await t.as(admin).patch(`/api/v1/users/${ours.colleague.id}`, { wecomUserId: 'zhang.wei' });
    const tag = `企微中秋${randomInt(1e6)}`;
    const mine = [
      await wecomClient(ours.butler, 'li.na', { tags: [tag] }),
      await wecomClient(ours.butler, 'li.na', { tags: [tag] }),
      await wecomClient(ours.butler, 'li.na', { tags: [tag] }),
    ];
    const theirs = [
      await wecomClient(ours.colleague, 'zhang.wei', { tags: [tag] }),
      await wecomClient(ours.colleague, 'zhang.wei', { tags: [tag] }),
    ];

    const id = await midAutumn(tag);
    const planned = await messagesOf(id);
    for (const c of [...mine, ...theirs])
      expect(planned.get(c.id)).toMatchObject({ channel: 'wecom', to_address: c.externalUserId, status: 'pending' });

    const before = fake.tasks.size;
    await sendBatch(id);
    // One task per butler, sent as the butler, naming each of their clients, with one text for all.
    expect(fake.tasks.size - before).toBe(2);
    const [li] = fake.tasksOf('li.na').slice(-1);
    const [zhang] = fake.tasksOf('zhang.wei').slice(-1);
    expect(li.externalUserIds.sort()).toEqual(mine.map((c) => c.externalUserId).sort());
    expect(zhang.externalUserIds.sort()).toEqual(theirs.map((c) => c.externalUserId).sort());
    expect(li.text).toContain('中秋');
    expect(li.text).not.toContain('退订');
    const sent = await messagesOf(id);
    for (const c of mine) expect(sent.get(c.id)).toMatchObject({ status: 'sent', provider_message_id: li.msgid });

    // The butler's 今日: what waits for them in the WeCom app.
    const todo = await t.as(ours.butler.token).get('/api/v1/wecom/todo');
    expect(todo.status).toBe(200);
    expect(todo.body.items).toEqual([
      expect.objectContaining({ text: '3 位客户的中秋问候待确认发送', clientCount: 3 }),
    ]);
    expect(todo.body.howTo).toContain('群发助手');

    // Not confirmed yet: each message says so.
    await poll();
    for (const c of mine) expect((await messagesOf(id)).get(c.id)?.delivery_status).toBe('unconfirmed');

    // The butler confirms in the app; one client had removed the butler meanwhile.
    fake.confirm(li.msgid, { [mine[2].externalUserId]: 2 });
    clock.travelTo(new Date('2027-09-15T09:30:00+08:00'));
    await poll();
    const results = await messagesOf(id);
    expect(results.get(mine[0].id)).toMatchObject({ status: 'sent', delivery_status: 'delivered' });
    expect(results.get(mine[1].id)).toMatchObject({ delivery_status: 'delivered' });
    expect(results.get(mine[2].id)).toMatchObject({
      delivery_status: 'undelivered',
      delivery_error: 'wecom_not_friend',
    });
    expect((await t.as(ours.butler.token).get('/api/v1/wecom/todo')).body.items).toEqual([]);
    expect((await t.as(ours.colleague.token).get('/api/v1/wecom/todo')).body.items).toHaveLength(1);
    // The delivery log shows it to the butler.
    const log = await t.as(ours.butler.token).get(`/api/v1/messages?customerId=${mine[0].id}`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body)).toContain('wecom');
  });

  it('sends a survey invitation as a 群发 task, and counts its answer by channel wecom', async () => {
    clock.travelTo(new Date('2027-10-11T10:00:00+08:00'));
    const c = await wecomClient(ours.butler, 'li.na');
    const followUp = await t.as(ours.manager.token).post('/api/v1/follow-ups', {
      customerId: c.id,
      butlerId: ours.butler.id,
      dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
      kind: 'manual',
    });
    const done = await t.as(ours.butler.token).post(`/api/v1/follow-ups/${followUp.body.id}/complete`, {
      outcome: 'reached',
      channel: 'phone',
      note: '满意',
    });
    expect(done.body.survey.invited).toBe(true);
    clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
    await t.app.get(SurveyDispatcher).dispatchDue();
    const [invitation]: { message_id: string }[] = await t.db.query(
      `SELECT message_id FROM survey_invitations WHERE customer_id = $1 AND status = 'queued'`,
      [c.id],
    );
    expect((await t.app.get(MailSenderService).sendPending(invitation.message_id)).outcome).toBe('sent');
    const [task] = fake.tasksOf('li.na').slice(-1);
    expect(task.externalUserIds).toEqual([c.externalUserId]);
    expect((await t.as(ours.butler.token).get('/api/v1/wecom/todo')).body.items[0].text).toBe(
      '1 位客户的满意度调查邀请待确认发送',
    );
    fake.confirm(task.msgid);
    await poll();
    const [message] = await t.db.query(`SELECT channel, delivery_status FROM messages WHERE id = $1`, [
      invitation.message_id,
    ]);
    expect(message).toEqual({ channel: 'wecom', delivery_status: 'delivered' });

    // The client opens the link the butler sent in WeCom and answers.
    const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(task.text)![1];
    const answered = await request(t.app, 'POST', `/s/${token}`, {
      body: 'csat=5&nps=10',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: `10.8.${randomInt(0, 255)}.${randomInt(1, 254)}`,
    });
    expect(answered.status).toBe(200);
    const report = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2027-10-01&to=2027-10-31');
    const item = (report.body.items as { butlerId: string; byChannel: { channel: string }[] }[]).find(
      (i) => i.butlerId === ours.butler.id,
    )!;
    expect(item.byChannel.find((b) => b.channel === 'wecom')).toEqual({
      channel: 'wecom',
      invitations: 1,
      responses: 1,
      responseRate: 1,
    });
  });

  it("binds each bound butler's external contacts to their clients by mobile or remark (立即同步)", async () => {
    const create = async (name: string) =>
      (await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ name }))).body as {
        id: string;
        mobile: string;
      };
    const byMobile = await create('赵同步');
    const byRemark = await create('钱多多');
    const [e1, e2, e3] = [fake.newExternalUserId(), fake.newExternalUserId(), fake.newExternalUserId()];
    fake.addContact({
      externalUserId: e1,
      name: 'Zhao',
      followers: [
        { userid: 'li.na', remarkMobiles: [`+86 ${byMobile.mobile.slice(0, 3)} ${byMobile.mobile.slice(3)}`] },
      ],
    });
    fake.addContact({ externalUserId: e2, name: '钱', followers: [{ userid: 'li.na', remark: '钱多多-茅台藏家' }] });
    fake.addContact({ externalUserId: e3, name: '陌生人', followers: [{ userid: 'li.na', remark: '展会认识' }] });

    expect((await t.as(ours.manager.token).post('/api/v1/wecom/sync')).status).toBe(403);
    const report = await t.as(admin).post('/api/v1/wecom/sync');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ enabled: true, errors: [] });
    expect(report.body.matched).toBeGreaterThanOrEqual(2);
    expect(report.body.unmatched).toContainEqual({ butlerId: ours.butler.id, externalUserId: e3, name: '陌生人' });
    // One call for every bound butler's contacts (batch/get_by_user), not one per contact.
    expect(fake.calls('/cgi-bin/externalcontact/batch/get_by_user').length).toBeGreaterThan(0);
    const bound = async (id: string) =>
      (await t.as(ours.butler.token).get(`/api/v1/customers/${id}`)).body.externalUserId as string | null;
    expect(await bound(byMobile.id)).toBe(e1);
    expect(await bound(byRemark.id)).toBe(e2);

    // Again: nothing new; what is bound stays.
    const again = await t.as(admin).post('/api/v1/wecom/sync');
    expect(again.body.matched).toBe(0);
    expect(again.body.alreadyBound).toBeGreaterThanOrEqual(2);
  });

  it("plans within WeCom's 4 messages a month, and never creates a task over it", async () => {
    const tag = `企微上限${randomInt(1e6)}`;
    const full = await wecomClient(ours.butler, 'li.na', { tags: [tag] });
    const onlyWecom = await wecomClient(ours.butler, 'li.na', {
      tags: [tag],
      consent: { channels: { greetings: { wecom: true } }, source: 'store' },
    });
    const filling = await wecomClient(ours.butler, 'li.na', { tags: [tag] });
    await alreadyOnWecom(full.id, 4);
    await alreadyOnWecom(onlyWecom.id, 4);
    await alreadyOnWecom(filling.id, 3);
    const id = await midAutumn(tag);
    const planned = await messagesOf(id);
    // At the limit: the next channel (email), or skipped capped when WeCom was the only one.
    expect(planned.get(full.id)).toMatchObject({ channel: 'email', status: 'pending' });
    expect(planned.get(onlyWecom.id)).toMatchObject({ status: 'skipped', skip_reason: 'capped' });
    expect(planned.get(filling.id)).toMatchObject({ channel: 'wecom', status: 'pending' });
    // Its fourth went out meanwhile: at send time it is over the limit, and no task names it.
    await alreadyOnWecom(filling.id, 1);
    const before = fake.tasks.size;
    await sendBatch(id);
    expect((await messagesOf(id)).get(filling.id)).toMatchObject({ status: 'skipped', skip_reason: 'capped' });
    expect(fake.tasks.size).toBe(before);
    expect(fake.targetedThisMonth(filling.externalUserId)).toBe(0);
  });

  it('opens the WeCom circuit when the token is refused, with errcode and errmsg on /health', async () => {
    const tag = `企微令牌${randomInt(1e6)}`;
    const c = await wecomClient(ours.butler, 'li.na', { tags: [tag] });
    // The admin entered a wrong 客户联系 secret: gettoken answers 40001.
    await t.as(admin).patch('/api/v1/settings', { wecom: { contactSecret: 'wrong-secret' } });
    const id = await midAutumn(tag);
    const outcome = await sendBatch(id);
    expect(outcome.paused).toBe(true);
    expect((await messagesOf(id)).get(c.id)).toMatchObject({ status: 'pending' });
    const health = await t.anonymous.get('/health');
    expect(health.body.info.channels.wecom).toMatchObject({ state: 'open' });
    expect(health.body.info.channels.wecom.reason).toContain('errcode 40001: invalid credential');
    expect(fake.tasksOf('li.na').some((task) => task.externalUserIds.includes(c.externalUserId))).toBe(false);

    // The right secret again: the next probe creates the task and closes the circuit.
    await t.as(admin).patch('/api/v1/settings', { wecom: { contactSecret: fake.contactSecret } });
    await eventually(
      async () => {
        await sendBatch(id);
        return (await messagesOf(id)).get(c.id)?.status;
      },
      (status) => status === 'sent',
    );
    expect((await t.anonymous.get('/health')).body.info.channels.wecom).toEqual({ state: 'closed' });
  });
});
