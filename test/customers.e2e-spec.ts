import { randomUUID } from 'node:crypto';

import { Clock } from '@app/common';
import { AppConfig, purposeKey } from '@app/config';
import { unsubscribeToken } from '@app/greetings';

import { createProduct, customerBody, Team, twoTeams, uniqueMobile } from './support/factories';
import { bootApp, HttpResult, request, TestApp } from './support/test-app';

describe('customers', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;

  const row = async (id: string) => (await t.db.query('SELECT * FROM customers WHERE id = $1', [id]))[0];
  const countFor = async (butlerId: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM customers WHERE butler_id = $1', [butlerId]))[0].n);
  const create = async (token: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    if (res.status !== 201) throw new Error(`create failed ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await bootApp();
    // The dates below (purchases, due dates) are this file's "recently": the app's clock is set to match.
    t.app.get(Clock).travelTo(new Date('2026-12-01T12:00:00+08:00'));
    ({ admin, ours, theirs } = await twoTeams(t));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('create', () => {
    it('lets a butler create their own client with a lunar birthday and consent', async () => {
      const res = await t
        .as(ours.butler.token)
        .post(
          '/api/v1/customers',
          customerBody({ mobile: '+86 138-0013-8000'.replace('0013', String(Date.now()).slice(-4)) }),
        );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: '王建国',
        butlerId: ours.butler.id,
        birthday: { date: '1970-08-15', calendar: 'lunar', leapMonth: false },
        tier: 'gold',
        tags: ['企业客户'],
        consent: { greetings: true, surveys: true, source: 'store' },
        purchaseCount: 0,
        lastPurchaseAt: null,
      });
      expect(res.body.mobile).toMatch(/^138\d{8}$/);
      expect(res.body.consent.updatedAt).not.toBeNull();
    });

    // The field issue 14 added to show what a new writable field costs: the customers library,
    // one migration and the console form.
    it("keeps the client's WeChat ID (微信号): set, read, cleared, and a malformed one refused", async () => {
      const client = await create(ours.butler.token, { wechatId: ' wang_jg-1970 ' });
      expect(client.wechatId).toBe('wang_jg-1970');
      expect((await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).body.wechatId).toBe('wang_jg-1970');
      const bad = await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { wechatId: '王 建国' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('wechatId');
      expect((await row(client.id)).wechat_id).toBe('wang_jg-1970');
      const cleared = await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, { wechatId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.wechatId).toBeNull();
      expect((await row(client.id)).wechat_id).toBeNull();
    });

    it('accepts a birthday in a leap lunar month that exists that year, and one without a year', async () => {
      const leap = await create(ours.butler.token, {
        birthday: { date: '1987-06-10', calendar: 'lunar', leapMonth: true },
      });
      expect(leap.birthday).toEqual({ date: '1987-06-10', calendar: 'lunar', leapMonth: true });
      const noYear = await create(ours.butler.token, { birthday: { date: '02-29', calendar: 'solar' } });
      expect(noYear.birthday).toEqual({ date: '02-29', calendar: 'solar', leapMonth: false });
    });

    it('lists every bad field, in English, and writes nothing', async () => {
      const before = await countFor(ours.butler.id);
      const res = await t.as(ours.butler.token).post('/api/v1/customers', {
        name: '',
        mobile: '12345',
        email: 'nope',
        gender: 'x',
        birthday: { date: '1990-13-01', calendar: 'lunar' },
        tier: 'diamond',
        tags: ['x'.repeat(31)],
        consent: { greetings: 'yes' },
        role: 'admin',
      });
      expect(res.status).toBe(400);
      const text = (res.body.message as string[]).join(' | ');
      for (const field of [
        'name',
        'mobile',
        'email',
        'gender',
        'birthday.date',
        'tier',
        'tags',
        'consent.greetings',
        'consent.surveys',
        'property role should not exist',
      ]) {
        expect(text).toContain(field);
      }
      expect(await countFor(ours.butler.id)).toBe(before);
    });

    it('rejects dates that do not exist in their calendar', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ date: '1990-02-30', calendar: 'solar' }, 'not a valid solar date'],
        [{ date: '1990-08-31', calendar: 'lunar' }, 'lunar day must be 1-30'],
        [{ date: '2026-06-01', calendar: 'lunar', leapMonth: true }, 'has no leap month 6'],
        [{ date: '1990-05-01', calendar: 'solar', leapMonth: true }, 'leapMonth is only for lunar'],
        [{ date: '15/08/1970', calendar: 'solar' }, 'YYYY-MM-DD'],
      ];
      for (const [birthday, message] of cases) {
        const res = await t.as(ours.butler.token).post('/api/v1/customers', customerBody({ birthday }));
        expect(res.status).toBe(400);
        expect((res.body.message as string[]).join(' ')).toContain(message);
      }
    });

    it('answers a duplicate mobile with 409, naming the existing client only to someone who may see it', async () => {
      const mobile = uniqueMobile();
      const first = await create(ours.butler.token, { mobile });
      const mine = await t.as(ours.manager.token).post(
        '/api/v1/customers',
        customerBody({
          mobile: `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
          butlerId: ours.colleague.id,
        }),
      );
      expect(mine.status).toBe(409);
      expect(mine.body).toMatchObject({ message: 'mobile is already used by another client', existingId: first.id });
      const other = await t.as(theirs.butler.token).post('/api/v1/customers', customerBody({ mobile }));
      expect(other.status).toBe(409);
      expect(other.body.existingId).toBeUndefined();
      expect(await countFor(theirs.butler.id)).toBe(0);
    });

    it('keeps a butler from creating clients for someone else, and managers inside their team', async () => {
      const forColleague = await t
        .as(ours.butler.token)
        .post('/api/v1/customers', customerBody({ butlerId: ours.colleague.id }));
      expect(forColleague.status).toBe(403);
      const managerNoButler = await t.as(ours.manager.token).post('/api/v1/customers', customerBody());
      expect(managerNoButler.status).toBe(400);
      expect(managerNoButler.body.message.join(' ')).toContain('butlerId is required');
      const otherTeam = await t
        .as(ours.manager.token)
        .post('/api/v1/customers', customerBody({ butlerId: theirs.butler.id }));
      expect(otherTeam.status).toBe(400);
      expect(otherTeam.body.message.join(' ')).toContain('butlerId must be an active butler of your team');
      const ok = await t
        .as(ours.manager.token)
        .post('/api/v1/customers', customerBody({ butlerId: ours.colleague.id }));
      expect(ok.status).toBe(201);
      expect(ok.body.butlerId).toBe(ours.colleague.id);
      expect(await countFor(theirs.butler.id)).toBe(0);
    });
  });

  describe('ownership: another butler, another team, get 404 and change nothing', () => {
    let client: { id: string };
    let productId: string;

    beforeAll(async () => {
      client = await create(ours.butler.token);
      productId = (await createProduct(t, admin)).id;
    });

    it('on every client route', async () => {
      const before = await row(client.id);
      const outsiders = [ours.colleague.token, theirs.butler.token, theirs.manager.token];
      const id = client.id;
      for (const token of outsiders) {
        const caller = t.as(token);
        const attempts = [
          caller.get(`/api/v1/customers/${id}`),
          caller.patch(`/api/v1/customers/${id}`, { name: '改名' }),
          caller.delete(`/api/v1/customers/${id}`),
          caller.get(`/api/v1/customers/${id}/taste-profile`),
          caller.put(`/api/v1/customers/${id}/taste-profile`, { aromas: [{ type: 'qing', weight: 1 }] }),
          caller.get(`/api/v1/customers/${id}/purchases`),
          caller.post(`/api/v1/customers/${id}/purchases`, {
            orderRef: `X-${randomUUID()}`,
            channel: 'store',
            purchasedAt: '2026-01-01T10:00:00+08:00',
            items: [{ productId, quantity: 1, unitPriceFen: 100 }],
          }),
          caller.get(`/api/v1/customers/${id}/timeline`),
        ];
        for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
      }
      // Role-restricted routes: a butler is refused by role, another team's manager by ownership.
      expect(
        (await t.as(theirs.manager.token).post(`/api/v1/customers/${id}/assign`, { butlerId: theirs.butler.id }))
          .status,
      ).toBe(404);
      expect((await t.as(theirs.manager.token).get(`/api/v1/customers/${id}/audit`)).status).toBe(404);
      expect(
        (await t.as(ours.colleague.token).post(`/api/v1/customers/${id}/assign`, { butlerId: ours.colleague.id }))
          .status,
      ).toBe(403);
      const after = await row(id);
      expect(after).toEqual(before);
      expect(
        Number((await t.db.query('SELECT count(*) AS n FROM taste_profiles WHERE customer_id = $1', [id]))[0].n),
      ).toBe(0);
      expect(Number((await t.db.query('SELECT count(*) AS n FROM purchases WHERE customer_id = $1', [id]))[0].n)).toBe(
        0,
      );
    });

    it('does not list another butler clients, even when asked by butlerId', async () => {
      const res = await t.as(ours.colleague.token).get(`/api/v1/customers?butlerId=${ours.butler.id}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('lets the manager and an admin see it', async () => {
      expect((await t.as(ours.manager.token).get(`/api/v1/customers/${client.id}`)).status).toBe(200);
      expect((await t.as(admin).get(`/api/v1/customers/${client.id}`)).status).toBe(200);
    });
  });

  describe('update, assign, delete and the audit log', () => {
    it('updates only what is sent, refuses butlerId in the body, and logs the change', async () => {
      const client = await create(ours.butler.token);
      const res = await t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, {
        tier: 'black',
        consent: { greetings: false, surveys: true, source: 'wechat' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tier: 'black',
        name: client.name,
        consent: { greetings: false, source: 'wechat' },
      });
      const sneaky = await t
        .as(ours.butler.token)
        .patch(`/api/v1/customers/${client.id}`, { butlerId: ours.colleague.id });
      expect(sneaky.status).toBe(400);
      expect(sneaky.body.message.join(' ')).toContain('property butlerId should not exist');
      expect((await row(client.id)).butler_id).toBe(ours.butler.id);
      const audit = await t.as(ours.manager.token).get(`/api/v1/customers/${client.id}/audit`);
      expect(audit.status).toBe(200);
      const update = audit.body.items.find((e: { action: string }) => e.action === 'update');
      expect(update.changes.tier).toEqual({ from: 'gold', to: 'black' });
      expect(update.actorId).toBe(ours.butler.id);
    });

    it('lets a manager move a client within the team, logged, and the old butler loses it', async () => {
      const client = await create(ours.butler.token);
      const res = await t
        .as(ours.manager.token)
        .post(`/api/v1/customers/${client.id}/assign`, { butlerId: ours.colleague.id });
      expect(res.status).toBe(200);
      expect(res.body.butlerId).toBe(ours.colleague.id);
      expect((await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).status).toBe(404);
      expect((await t.as(ours.colleague.token).get(`/api/v1/customers/${client.id}`)).status).toBe(200);
      const audit = await t.as(ours.manager.token).get(`/api/v1/customers/${client.id}/audit`);
      expect(audit.body.items[0]).toMatchObject({
        action: 'assign',
        actorId: ours.manager.id,
        changes: { butlerId: { from: ours.butler.id, to: ours.colleague.id } },
      });
      const outside = await t
        .as(ours.manager.token)
        .post(`/api/v1/customers/${client.id}/assign`, { butlerId: theirs.butler.id });
      expect(outside.status).toBe(400);
      expect((await row(client.id)).butler_id).toBe(ours.colleague.id);
      const byAdmin = await t.as(admin).post(`/api/v1/customers/${client.id}/assign`, { butlerId: theirs.butler.id });
      expect(byAdmin.status).toBe(200);
      expect((await t.as(theirs.manager.token).get(`/api/v1/customers/${client.id}`)).status).toBe(200);
    });

    it('soft-deletes: gone from reads and lists, mobile free again, audit kept', async () => {
      const mobile = uniqueMobile();
      const client = await create(ours.butler.token, { mobile });
      expect((await t.as(ours.butler.token).delete(`/api/v1/customers/${client.id}`)).status).toBe(204);
      expect((await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).status).toBe(404);
      expect((await t.as(ours.butler.token).delete(`/api/v1/customers/${client.id}`)).status).toBe(404);
      const again = await create(ours.butler.token, { mobile });
      expect(again.id).not.toBe(client.id);
      const logged = await t.db.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at`, [
        client.id,
      ]);
      expect(logged.map((r: { action: string }) => r.action)).toEqual(['create', 'delete']);
    });
  });

  describe('consent', () => {
    // The client clicks 退订 in a greeting (the public unsubscribe page).
    const unsubscribe = async (id: string) => {
      const res = await request(
        t.app,
        'POST',
        `/u/${unsubscribeToken(purposeKey(t.app.get(AppConfig).auth.JWT_SECRET, 'unsubscribe'), id)}`,
        {
          body: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(res.status).toBe(200);
    };

    it(
      'keeps an unsubscribe when an edit resends the answers it already has, ' + 'and stamps only a real change',
      async () => {
        const client = await create(ours.butler.token, {
          consent: { greetings: true, surveys: true, source: 'store' },
        });
        await unsubscribe(client.id);
        const withdrawn = (await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}`)).body.consent;
        expect(withdrawn).toMatchObject({ greetings: false, surveys: true, source: 'unsubscribe' });

        // A notes edit that sends the consent as it now stands changes nothing about consent.
        const same = await t
          .as(ours.butler.token)
          .patch(`/api/v1/customers/${client.id}`, { notes: '改了备注', consent: { greetings: false, surveys: true } });
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({ notes: '改了备注', consent: withdrawn });
        // The console now leaves consent out when the butler did not touch it.
        const notesOnly = await t
          .as(ours.butler.token)
          .patch(`/api/v1/customers/${client.id}`, { notes: '又改了备注' });
        expect(notesOnly.body.consent).toEqual(withdrawn);

        // One answer changed on its own: the other is left as it is (no stale value can ride along).
        const surveysOff = await t
          .as(ours.butler.token)
          .patch(`/api/v1/customers/${client.id}`, { consent: { surveys: false } });
        expect(surveysOff.status).toBe(200);
        expect(surveysOff.body.consent).toMatchObject({ greetings: false, surveys: false, source: 'butler' });
        expect(new Date(surveysOff.body.consent.updatedAt).getTime()).toBeGreaterThan(
          new Date(withdrawn.updatedAt).getTime(),
        );

        // The client asks their butler to subscribe again: an explicit change is written.
        const back = await t
          .as(ours.butler.token)
          .patch(`/api/v1/customers/${client.id}`, { consent: { greetings: true, source: 'phone' } });
        expect(back.body.consent).toMatchObject({ greetings: true, surveys: false, source: 'phone' });
        const audit = await t.db.query(
          `SELECT changes FROM audit_log
          WHERE entity_type = 'customer' AND entity_id = $1 AND action = 'update' ORDER BY created_at`,
          [client.id],
        );
        expect(audit.filter((a: { changes: Record<string, unknown> }) => 'consent' in a.changes)).toHaveLength(2);
      },
    );

    it('answers a bad or null consent with 400 naming it', async () => {
      const client = await create(ours.butler.token);
      const res = await t
        .as(ours.butler.token)
        .patch(`/api/v1/customers/${client.id}`, { consent: { greetings: 'yes' } });
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toContain('consent.greetings');
      for (const body of [{ consent: null }, { name: '赵六', consent: null }]) {
        const cleared = await (body.name
          ? t.as(ours.butler.token).post('/api/v1/customers', body)
          : t.as(ours.butler.token).patch(`/api/v1/customers/${client.id}`, body));
        expect(cleared.status).toBe(400);
        expect(cleared.body.message.join(' ')).toContain('consent must be an object');
      }
      expect((await row(client.id)).consent_greetings).toBe(true);
    });
  });

  describe('lists', () => {
    let butler: { id: string; token: string };
    const names = ['赵敏', '阿朱', '李寻欢', '王语嫣', '张无忌', '陈家洛', '黄蓉'];

    beforeAll(async () => {
      butler = await t.createUser(admin, { role: 'butler', managerId: ours.manager.id });
      for (const [i, name] of names.entries()) {
        await create(butler.token, {
          name,
          tier: i % 2 === 0 ? 'gold' : 'silver',
          tags: i === 3 ? ['收藏爱好者'] : [],
          mobile: `1880000${String(Date.now() % 1000).padStart(3, '0')}${i}`.slice(0, 11),
        });
      }
    });

    it('sorts by pinyin and pages with a cursor without repeats or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res: HttpResult = await t
          .as(butler.token)
          .get(`/api/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((c: { name: string }) => c.name));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(['阿朱', '陈家洛', '黄蓉', '李寻欢', '王语嫣', '张无忌', '赵敏']);
    });

    it('filters by tier, tag, name and mobile prefix', async () => {
      const gold = await t.as(butler.token).get('/api/v1/customers?tier=gold');
      expect(gold.body.items.every((c: { tier: string }) => c.tier === 'gold')).toBe(true);
      expect(gold.body.items).toHaveLength(4);
      const tagged = await t.as(butler.token).get(`/api/v1/customers?tag=${encodeURIComponent('收藏爱好者')}`);
      expect(tagged.body.items.map((c: { name: string }) => c.name)).toEqual(['王语嫣']);
      const byName = await t.as(butler.token).get(`/api/v1/customers?q=${encodeURIComponent('无忌')}`);
      expect(byName.body.items.map((c: { name: string }) => c.name)).toEqual(['张无忌']);
      const all = await t.as(butler.token).get('/api/v1/customers');
      const mobile: string = all.body.items[0].mobile;
      const byMobile = await t.as(butler.token).get(`/api/v1/customers?q=${mobile.slice(0, 8)}`);
      expect(byMobile.body.items.map((c: { mobile: string }) => c.mobile)).toContain(mobile);
    });

    it('answers bad filters with 400 naming them', async () => {
      const res = await t.as(butler.token).get('/api/v1/customers?tier=diamond&limit=0&sort=age&cursor=%25%25');
      expect(res.status).toBe(400);
      const text = res.body.message.join(' ');
      for (const field of ['tier', 'limit', 'sort', 'cursor']) expect(text).toContain(field);
      const forged = await t.as(butler.token).get('/api/v1/customers?cursor=bm90LWpzb24');
      expect(forged.status).toBe(400);
    });
  });

  describe('taste profile', () => {
    it('starts empty, saves what the butler sets, and validates it', async () => {
      const client = await create(ours.butler.token);
      const empty = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/taste-profile`);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ aromas: [], abvRange: null, updatedAt: null });
      const profile = {
        aromas: [
          { type: 'jiang', weight: 0.9 },
          { type: 'nong', weight: 0.3 },
        ],
        abvRange: [50, 54],
        priceRangeFen: [80000, 200000],
        brands: ['贵州茅台'],
        occasions: ['gifting', 'banquet'],
        notes: '',
      };
      const put = await t.as(ours.butler.token).put(`/api/v1/customers/${client.id}/taste-profile`, profile);
      expect(put.status).toBe(200);
      const got = await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/taste-profile`);
      expect(got.body).toMatchObject(profile);

      const bad = await t.as(ours.butler.token).put(`/api/v1/customers/${client.id}/taste-profile`, {
        aromas: [{ type: 'whisky', weight: 2 }],
        abvRange: [60, 50],
        priceRangeFen: [-1, 10],
        occasions: ['party'],
      });
      expect(bad.status).toBe(400);
      const text = bad.body.message.join(' ');
      for (const field of ['aromas.0.type', 'aromas.0.weight', 'abvRange', 'priceRangeFen', 'occasions'])
        expect(text).toContain(field);
      const twice = await t.as(ours.butler.token).put(`/api/v1/customers/${client.id}/taste-profile`, {
        aromas: [
          { type: 'jiang', weight: 1 },
          { type: 'jiang', weight: 0.5 },
        ],
      });
      expect(twice.status).toBe(400);
      expect((await t.as(ours.butler.token).get(`/api/v1/customers/${client.id}/taste-profile`)).body).toMatchObject(
        profile,
      );
    });

    it('answers 200 to two first saves sent at once, and keeps one profile', async () => {
      const clients = await Promise.all(Array.from({ length: 5 }, () => create(ours.butler.token)));
      const results = await Promise.all(
        clients.flatMap((c) => [
          t.as(ours.butler.token).put(`/api/v1/customers/${c.id}/taste-profile`, {
            aromas: [{ type: 'jiang', weight: 1 }],
            notes: '第一次',
          }),
          t.as(ours.butler.token).put(`/api/v1/customers/${c.id}/taste-profile`, {
            aromas: [{ type: 'nong', weight: 0.5 }],
            notes: '第二次',
          }),
        ]),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      for (const c of clients) {
        const rows = await t.db.query('SELECT notes FROM taste_profiles WHERE customer_id = $1', [c.id]);
        expect(rows).toHaveLength(1);
        expect(['第一次', '第二次']).toContain(rows[0].notes);
      }
    });
  });
});
