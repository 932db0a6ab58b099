import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { Clock } from '@app/common';
import { AppConfig, purposeKey } from '@app/config';
import { CampaignRunner, unsubscribeToken } from '@app/greetings';
import { QUEUES } from '@app/queue';

import { customerBody, defaultTemplateIds, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, request, TestApp } from './support/test-app';

describe('greetings: templates, campaigns, unsubscribe', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let templateId: string;
  let customTemplateId: string;
  let clock: Clock;

  const campaign = async (token: string, id: string) =>
    (await t.as(token).get(`/api/v1/greetings/campaigns/${id}`)).body;
  const client = async (token: string, overrides: Record<string, unknown>) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    if (res.status !== 201) throw new Error(res.text);
    return res.body as { id: string; email: string };
  };
  // "Now" by the wall clock (the workers send at once), which may be at night in Shanghai: these
  // campaigns confirm a night send (confirmQuietHours), test/campaigns.e2e-spec.ts tests the rule.
  const soon = () => new Date(Date.now() + 200).toISOString();
  // Long headers are folded onto several lines in the raw message.
  const unfolded = (raw: string) => raw.replace(/\r?\n[ \t]+/g, ' ');

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    const defaults = await defaultTemplateIds(t, admin);
    templateId = defaults.get('mid_autumn')!;
    customTemplateId = defaults.get('custom')!;
    clock = t.app.get(Clock);
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  describe('templates', () => {
    it('ships a default Chinese template for every festival and birthdays', async () => {
      const res = await t.as(admin).get('/api/v1/templates');
      const occasions = res.body.items
        .filter((x: { isDefault: boolean }) => x.isDefault)
        .map((x: { occasion: string }) => x.occasion);
      expect(occasions.sort()).toEqual([
        'birthday',
        'custom',
        'double_ninth',
        'dragon_boat',
        'lantern',
        'mid_autumn',
        'national_day',
        'new_year',
        'qixi',
        'spring_festival',
      ]);
      expect(res.body.placeholders).toHaveProperty(['customer.name']);
    });

    it('rejects unknown placeholders and helpers when saving, naming the field', async () => {
      const res = await t.as(admin).post('/api/v1/templates', {
        name: '坏模板',
        occasion: 'custom',
        subject: '{{customer.mobile}}',
        body: '{{#each x}}{{/each}}',
      });
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toMatch(/subject uses the unknown placeholder \{\{customer\.mobile\}\}/);
      expect(res.body.message.join(' ')).toMatch(/body may only use/);
      // Managers read templates for their campaigns; only admins write them; butlers neither.
      expect((await t.as(ours.manager.token).get('/api/v1/templates')).status).toBe(200);
      expect(
        (
          await t
            .as(ours.manager.token)
            .post('/api/v1/templates', { name: '经理模板', occasion: 'custom', subject: '您好', body: '您好' })
        ).status,
      ).toBe(403);
      expect((await t.as(ours.butler.token).get('/api/v1/templates')).status).toBe(403);
    });

    it('previews with a real client, signed by their butler', async () => {
      const c = await client(ours.butler.token, { name: '王建国', gender: 'male' });
      await t
        .as(ours.butler.token)
        .put(`/api/v1/customers/${c.id}/taste-profile`, { aromas: [{ type: 'jiang', weight: 0.9 }] });
      const res = await t.as(admin).get(`/api/v1/templates/${templateId}/preview?customerId=${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body.subject).toBe('王先生，中秋快乐');
      expect(res.body.text).toContain('若需酱香好酒');
      const butlerName = (await t.as(admin).get(`/api/v1/users/${ours.butler.id}`)).body.name;
      expect(res.body.text).toContain(`您的专属管家 ${butlerName} 敬上`);
    });
  });

  describe('campaigns', () => {
    it('reaches every consenting client of the team exactly once and skips the rest with reasons', async () => {
      const tags = ['中秋名单'];
      const yes = [
        await client(ours.butler.token, { tier: 'gold', tags }),
        await client(ours.colleague.token, { tier: 'gold', tags }),
      ];
      const noConsent = await client(ours.butler.token, {
        tier: 'gold',
        tags,
        consent: { greetings: false, surveys: true },
      });
      const noEmail = await client(ours.butler.token, { tier: 'gold', tags, email: null });
      const otherTier = await client(ours.butler.token, { tier: 'silver', tags });
      const otherTeam = await client(theirs.butler.token, { tier: 'gold', tags });

      // On the festival itself: a 中秋 greeting after 中秋 is refused (see below).
      clock.travelTo(new Date('2027-09-15T09:00:00+08:00'));
      const res = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '2027 中秋问候',
        occasion: 'mid_autumn',
        templateId,
        sendAt: new Date(clock.now().getTime() + 200).toISOString(),
        audience: { scope: 'team', tiers: ['gold'], tags },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('scheduled');
      const id = res.body.id as string;
      const done = await eventually(
        () => campaign(ours.manager.token, id),
        (c) => c.status === 'completed',
        20_000,
      );
      expect(done.progress).toMatchObject({ sent: 2, failed: 0, pending: 0 });
      expect(done.progress.skippedBy).toMatchObject({ no_consent: 1, no_channel: 1 });
      for (const c of yes) expect(sink.to(c.email)).toHaveLength(1);
      for (const c of [noConsent, otherTier, otherTeam]) expect(sink.to(c.email)).toHaveLength(0);
      expect(noEmail.email).toBeNull();
      const mail = sink.to(yes[0].email)[0];
      expect(mail.parsed.subject).toContain('中秋快乐');
      expect(mail.parsed.text).toContain('您的专属管家');
      expect(unfolded(mail.raw)).toMatch(
        /List-Unsubscribe: <http:\/\/localhost:3000\/u\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}>/,
      );
      expect(unfolded(mail.raw)).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      // The delivery log shows the sent greeting and the skip reason.
      const log = await t.as(ours.butler.token).get(`/api/v1/messages?customerId=${noConsent.id}`);
      expect(log.body.items[0]).toMatchObject({ purpose: 'greeting', status: 'skipped', skipReason: 'no_consent' });
      expect((await t.as(theirs.butler.token).get(`/api/v1/messages?customerId=${noConsent.id}`)).status).toBe(404);
      // Another team's manager cannot see it.
      expect((await t.as(theirs.manager.token).get(`/api/v1/greetings/campaigns/${id}`)).status).toBe(404);
    });

    it('caps greetings: a second campaign within the cap skips clients already greeted', async () => {
      const c = await client(ours.colleague.token, { tier: 'black' });
      const first = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: 'A',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'butler', butlerId: ours.colleague.id, tiers: ['black'] },
      });
      await eventually(
        () => campaign(ours.manager.token, first.body.id),
        (x) => x.status === 'completed',
        20_000,
      );
      const second = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: 'B',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'butler', butlerId: ours.colleague.id, tiers: ['black'] },
      });
      const done = await eventually(
        () => campaign(ours.manager.token, second.body.id),
        (x) => x.status === 'completed',
        20_000,
      );
      expect(done.progress.skippedBy).toMatchObject({ capped: 1 });
      expect(sink.to(c.email)).toHaveLength(1);
    });

    it('keeps a draft unsent until confirmed, and cancels a scheduled one', async () => {
      const c = await client(ours.butler.token, { tier: 'silver', tags: ['草稿测试'] });
      const draft = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '草稿',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'team', tags: ['草稿测试'] },
        draft: true,
      });
      expect(draft.body).toMatchObject({ status: 'draft', audienceCount: 1 });
      await new Promise((r) => setTimeout(r, 800));
      expect(sink.to(c.email)).toHaveLength(0);
      const later = new Date(Date.now() + 3600_000).toISOString();
      const scheduled = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '取消',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: later,
        confirmQuietHours: true,
        audience: { scope: 'team', tags: ['草稿测试'] },
      });
      const cancelled = await t
        .as(ours.manager.token)
        .patch(`/api/v1/greetings/campaigns/${scheduled.body.id}`, { status: 'cancelled' });
      expect(cancelled.body.status).toBe('cancelled');
      expect(
        (
          await t
            .as(ours.manager.token)
            .patch(`/api/v1/greetings/campaigns/${scheduled.body.id}`, { status: 'cancelled' })
        ).status,
      ).toBe(409);
      const confirmed = await t
        .as(ours.manager.token)
        .patch(`/api/v1/greetings/campaigns/${draft.body.id}`, { status: 'scheduled', confirmQuietHours: true });
      expect(confirmed.body.status).toBe('scheduled');
      await eventually(
        () => campaign(ours.manager.token, draft.body.id),
        (x) => x.status === 'completed',
        20_000,
      );
      expect(sink.to(c.email)).toHaveLength(1);
    });

    it('validates campaigns and keeps managers inside their team', async () => {
      const bad = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '',
        occasion: 'halloween',
        templateId: 'x',
        sendAt: 'tomorrow',
        audience: { scope: 'world' },
      });
      expect(bad.status).toBe(400);
      const text = bad.body.message.join(' ');
      for (const field of ['name', 'occasion', 'templateId', 'sendAt', 'audience.scope']) expect(text).toContain(field);
      const outside = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: 'x',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'butler', butlerId: theirs.butler.id },
      });
      expect(outside.status).toBe(400);
      expect(
        (
          await t.as(ours.butler.token).post('/api/v1/greetings/campaigns', {
            name: 'x',
            occasion: 'custom',
            templateId: customTemplateId,
            sendAt: soon(),
            confirmQuietHours: true,
            audience: { scope: 'all' },
          })
        ).status,
      ).toBe(403);
      // A template fits its own occasion only (custom ones fit any): found by a red team, clients
      // got 生日快乐 for 元宵节.
      const birthdayTemplate = (await defaultTemplateIds(t, admin)).get('birthday')!;
      for (const [occasion, id] of [
        ['lantern', birthdayTemplate],
        ['custom', templateId],
      ] as const) {
        const mismatch = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: '错配',
          occasion,
          templateId: id,
          sendAt: soon(),
          confirmQuietHours: true,
          audience: { scope: 'team' },
          draft: true,
        });
        expect(mismatch.status).toBe(400);
        expect(mismatch.body.message.join(' ')).toMatch(/^templateId must be a template for /);
      }
    });

    it('refuses a birthday campaign made by hand: only the daily round knows whose birthday it is', async () => {
      const res = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '生日',
        occasion: 'birthday',
        templateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'team' },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([
        expect.stringMatching(
          /^occasion birthday is not allowed: birthday greetings are created by the daily care round/,
        ),
      ]);
      expect(
        await t.db.query(`SELECT id FROM greeting_campaigns WHERE name = '生日' AND created_by = $1`, [
          ours.manager.id,
        ]),
      ).toEqual([]);
    });

    it('refuses a festival greeting that would arrive after the festival, and a sendAt long past', async () => {
      // Each occasion with its own default template (a template must fit its occasion).
      const defaults = await defaultTemplateIds(t, admin);
      const post = (body: Record<string, unknown>) => {
        const occasion = (body.occasion as string | undefined) ?? 'mid_autumn';
        return t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: '中秋问候',
          occasion,
          templateId: defaults.get(occasion),
          audience: { scope: 'team' },
          draft: true,
          ...body,
        });
      };
      // The day after 中秋 2027 (09-15).
      clock.travelTo(new Date('2027-09-16T10:00:00+08:00'));
      const late = await post({ sendAt: '2027-09-16T18:00:00+08:00' });
      expect(late.status).toBe(400);
      expect(late.body.message).toEqual([
        'sendAt must be on or before mid_autumn (2027-09-15): a festival greeting sent after the festival arrives late',
      ]);
      // A custom greeting has no festival to miss.
      expect((await post({ occasion: 'custom', sendAt: '2027-09-16T18:00:00+08:00' })).status).toBe(201);

      // A draft made before the festival and confirmed after it would go out at once, late.
      clock.travelTo(new Date('2027-09-10T10:00:00+08:00'));
      const draft = await post({ sendAt: '2027-09-15T09:00:00+08:00' });
      expect(draft.status).toBe(201);
      clock.travelTo(new Date('2027-09-16T10:00:00+08:00'));
      const confirm = await t
        .as(ours.manager.token)
        .patch(`/api/v1/greetings/campaigns/${draft.body.id}`, { status: 'scheduled' });
      expect(confirm.status).toBe(409);
      expect(confirm.body.message).toContain('mid_autumn (2027-09-15), which has passed');
      expect((await campaign(ours.manager.token, draft.body.id)).status).toBe('draft');

      // An hour ago is a mistake; a minute ago (立即发送 clicked before the audience step) is now.
      const now = clock.now().getTime();
      const past = await post({ occasion: 'custom', sendAt: new Date(now - 3600_000).toISOString() });
      expect(past.status).toBe(400);
      expect(past.body.message).toEqual(['sendAt must not be in the past']);
      const justNow = await post({ occasion: 'custom', sendAt: new Date(now - 60_000).toISOString() });
      expect(justNow.status).toBe(201);
      expect(new Date(justNow.body.sendAt).getTime()).toBeGreaterThanOrEqual(now);

      // A 元旦 greeting on 12-31 greets the coming 元旦.
      clock.travelTo(new Date('2027-12-31T10:00:00+08:00'));
      expect((await post({ occasion: 'new_year', sendAt: '2027-12-31T18:00:00+08:00' })).status).toBe(201);
      expect((await post({ occasion: 'national_day', sendAt: '2027-12-31T18:00:00+08:00' })).status).toBe(400);
    });

    it('skips a client who unsubscribes, or is deleted, while their batch is sending', async () => {
      const tags = ['批次中退订'];
      const clients: { id: string; email: string }[] = [];
      for (let i = 0; i < 20; i++) clients.push(await client(ours.butler.token, { tier: 'regular', tags }));
      // A slow server: the batch's consent check is long over when its last messages go out.
      sink.delayMs = 500;
      try {
        const res = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: '批次中退订',
          occasion: 'custom',
          templateId: customTemplateId,
          sendAt: soon(),
          confirmQuietHours: true,
          audience: { scope: 'team', tags },
        });
        const id = res.body.id as string;
        await eventually(
          () => campaign(ours.manager.token, id),
          (x) => x.progress !== null && x.progress.sent >= 1,
          20_000,
        );
        // The batch sends in id order: these two go out last.
        const last: { customer_id: string }[] = await t.db.query(
          `SELECT customer_id FROM messages WHERE campaign_id = $1 AND status = 'pending' ORDER BY id DESC LIMIT 2`,
          [id],
        );
        const [quitter, removed] = last.map((r) => clients.find((c) => c.id === r.customer_id)!);
        const key = purposeKey(t.app.get(AppConfig).auth.JWT_SECRET, 'unsubscribe');
        const link = `/u/${unsubscribeToken(key, quitter.id)}`;
        const oneClick = await request(t.app, 'POST', link, {
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(oneClick.status).toBe(200);
        expect((await t.as(ours.butler.token).delete(`/api/v1/customers/${removed.id}`)).status).toBe(204);

        const done = await eventually(
          () => campaign(ours.manager.token, id),
          (x) => x.status === 'completed',
          30_000,
        );
        expect(done.progress).toMatchObject({
          sent: 18,
          failed: 0,
          pending: 0,
          skipped: 2,
          skippedBy: { unsubscribed: 1, deleted: 1 },
        });
        expect(sink.to(quitter.email)).toHaveLength(0);
        expect(sink.to(removed.email)).toHaveLength(0);
      } finally {
        sink.delayMs = 0;
      }
    });

    it('retries recipients answered with 451 until delivered, and marks a 550 failed with the reason', async () => {
      const tags = ['SMTP状态'];
      const busy = await client(ours.butler.token, { tier: 'regular', tags });
      const gone = await client(ours.butler.token, { tier: 'regular', tags });
      const fine = await client(ours.butler.token, { tier: 'regular', tags });
      let refusals = 0;
      sink.reply = (address) =>
        address === busy.email && refusals++ < 2 ? 451 : address === gone.email ? 550 : undefined;
      try {
        const res = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: 'smtp',
          occasion: 'custom',
          templateId: customTemplateId,
          sendAt: soon(),
          confirmQuietHours: true,
          audience: { scope: 'team', tags },
        });
        const done = await eventually(
          () => campaign(ours.manager.token, res.body.id),
          (x) => x.status === 'completed_with_failures',
          30_000,
        );
        expect(done.progress).toMatchObject({ sent: 2, failed: 1, pending: 0 });
        expect(done.progress.failures).toEqual([{ reason: 'rejected', count: 1 }]);
        expect(sink.to(busy.email)).toHaveLength(1);
        expect(sink.to(fine.email)).toHaveLength(1);
        expect(sink.to(gone.email)).toHaveLength(0);
        const [failed] = await t.db.query(
          'SELECT last_error, attempts FROM messages WHERE campaign_id = $1 AND customer_id = $2',
          [res.body.id, gone.id],
        );
        expect(failed.last_error).toContain('550');
        expect(failed.attempts).toBe(1);
      } finally {
        sink.reply = () => undefined;
      }
    });

    it('delivers each message exactly once when Redis loses every job mid-campaign', async () => {
      const clients = [];
      for (let i = 0; i < 6; i++) clients.push(await client(ours.butler.token, { tier: 'regular', tags: ['FLUSH'] }));
      sink.delayMs = 150;
      try {
        const res = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
          name: 'flush',
          occasion: 'custom',
          templateId: customTemplateId,
          sendAt: soon(),
          confirmQuietHours: true,
          audience: { scope: 'team', tags: ['FLUSH'] },
        });
        await eventually(
          () => campaign(ours.manager.token, res.body.id),
          (x) => x.progress !== null && x.progress.sent >= 1,
          20_000,
        );
        // Wipe this app's Redis keys (its queue prefix), as a FLUSHALL would.
        const queue = t.app.get<Queue>(getQueueToken(QUEUES.campaigns));
        const prefix = queue.opts.prefix!;
        const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
        await t.app.get(CampaignRunner).reconcile(0);
        const done = await eventually(
          () => campaign(ours.manager.token, res.body.id),
          (x) => x.status === 'completed',
          30_000,
        );
        expect(done.progress).toMatchObject({ sent: 6, pending: 0, failed: 0 });
        for (const c of clients) expect(sink.to(c.email)).toHaveLength(1);
      } finally {
        sink.delayMs = 0;
      }
    });
  });

  describe('unsubscribe', () => {
    it('asks on GET, unsubscribes on POST (and one-click), and the next greeting skips the client', async () => {
      const c = await client(ours.butler.token, { tier: 'regular', tags: ['退订测试'] });
      const first = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '一',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'team', tags: ['退订测试'] },
      });
      await eventually(
        () => campaign(ours.manager.token, first.body.id),
        (x) => x.status === 'completed',
        20_000,
      );
      const link = /List-Unsubscribe: <http:\/\/localhost:3000(\/u\/[^>]+)>/.exec(
        unfolded(sink.to(c.email)[0].raw),
      )![1];

      const page = await request(t.app, 'GET', link);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('确认退订');
      expect(
        (await t.db.query('SELECT consent_greetings FROM customers WHERE id = $1', [c.id]))[0].consent_greetings,
      ).toBe(true);

      const oneClick = await request(t.app, 'POST', link, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(oneClick.status).toBe(200);
      expect(oneClick.text).toContain('已为您退订');
      const [row] = await t.db.query('SELECT consent_greetings, consent_source FROM customers WHERE id = $1', [c.id]);
      expect(row).toEqual({ consent_greetings: false, consent_source: 'unsubscribe' });

      const second = await t.as(ours.manager.token).post('/api/v1/greetings/campaigns', {
        name: '二',
        occasion: 'custom',
        templateId: customTemplateId,
        sendAt: soon(),
        confirmQuietHours: true,
        audience: { scope: 'team', tags: ['退订测试'] },
      });
      const done = await eventually(
        () => campaign(ours.manager.token, second.body.id),
        (x) => x.status === 'completed',
        20_000,
      );
      expect(done.progress.skippedBy).toMatchObject({ no_consent: 1 });
      expect(sink.to(c.email)).toHaveLength(1);
    });

    it('answers a forged or broken link with a Chinese 404 page and changes nothing', async () => {
      const res = await request(t.app, 'POST', '/u/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', {
        body: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(404);
      expect(res.text).toContain('链接无效');
      expect((await request(t.app, 'GET', '/u/not-a-token')).status).toBe(404);
    });
  });
});
