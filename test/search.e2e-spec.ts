import { randomInt, randomUUID } from 'node:crypto';

import { CustomerPinyin1795430000000 } from '../migrations/1795430000000-CustomerPinyin';
import { customerBody, Team, twoTeams } from './support/factories';
import { bootApp, TestApp } from './support/test-app';

// Finding a client the way a butler thinks of them (issue 15): by name, pinyin, pinyin initials
// and the last digits of the mobile, within what the caller may see.
describe('client search (q)', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  // Mobiles in the 138 block ending in 0040, unique within this run (other files use 15x, 17x–19x).
  const used = new Set<string>();
  const mobileEndingIn = (tail: string): string => {
    for (;;) {
      const mobile = `138${String(randomInt(0, 10 ** (8 - tail.length))).padStart(8 - tail.length, '0')}${tail}`;
      if (!used.has(mobile)) {
        used.add(mobile);
        return mobile;
      }
    }
  };
  let caiMobile: string;
  const ids: Record<string, string> = {};

  const create = async (token: string, name: string, mobile = mobileEndingIn(String(randomInt(0, 10_000)))) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody({ name, mobile }));
    if (res.status !== 201) throw new Error(`create failed ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const search = async (token: string, q: string): Promise<string[]> => {
    const res = await t.as(token).get(`/api/v1/customers?q=${encodeURIComponent(q)}&limit=200`);
    expect(res.status).toBe(200);
    return res.body.items.map((c: { name: string }) => c.name);
  };

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    caiMobile = mobileEndingIn('0040');
    ids.cai = await create(ours.butler.token, '蔡德明', caiMobile);
    for (const name of ['单雄信', '曾国藩', '解缙', '欧阳修', '司马光', '陈小红'])
      ids[name] = await create(ours.butler.token, name);
    // Another team's butler has a 蔡德明 too, with a mobile that also ends in 0040.
    ids.theirs = await create(theirs.butler.token, '蔡德明', mobileEndingIn('0040'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds 蔡德明 by initials, pinyin, characters and the last four digits, in any case and spacing', async () => {
    for (const q of ['cdm', 'CDM', 'ＣＤＭ', 'cd', 'caideming', 'caide', 'Cai De Ming', '蔡', '德明', '蔡德明', '0040'])
      expect({ q, found: await search(ours.butler.token, q) }).toEqual({ q, found: ['蔡德明'] });
  });

  it('finds him by the whole mobile written any way a caller gives it', async () => {
    const [a, b, c] = [caiMobile.slice(0, 3), caiMobile.slice(3, 7), caiMobile.slice(7)];
    for (const q of [caiMobile, `+86 ${a} ${b} ${c}`, `+86-${a}-${b}-${c}`, `86${caiMobile}`, `(${a}) ${b}-${c}`]) {
      expect({ q, found: await search(ours.butler.token, q) }).toEqual({ q, found: ['蔡德明'] });
    }
    // The first digits still work, and the last 4+ digits of any length.
    expect(await search(ours.butler.token, caiMobile.slice(0, 7))).toContain('蔡德明');
    expect(await search(ours.butler.token, caiMobile.slice(-6))).toEqual(['蔡德明']);
  });

  it('reads surnames as surnames: 单 shan, 曾 zeng, 解 xie, and compound surnames whole', async () => {
    const expectations: [string, string[]][] = [
      ['shan', ['单雄信']],
      ['sxx', ['单雄信']],
      ['zeng', ['曾国藩']],
      ['zgf', ['曾国藩']],
      ['xiejin', ['解缙']],
      ['xj', ['解缙']],
      ['ouyang', ['欧阳修']],
      ['oyx', ['欧阳修']],
      ['smg', ['司马光']],
      // The common readings of those characters are not how the names are read.
      ['dan', []],
      ['ceng', []],
      ['jiejin', []],
    ];
    for (const [q, names] of expectations)
      expect({ q, found: await search(ours.butler.token, q) }).toEqual({ q, found: names });
    // A prefix of the initials lists every match, in pinyin order.
    expect(await search(ours.butler.token, 'c')).toEqual(['蔡德明', '陈小红']);
  });

  it("never finds another butler's client, whatever the query; their manager and an admin do", async () => {
    for (const q of ['cdm', 'caideming', '0040', '蔡德明'])
      expect({ q, found: await search(ours.colleague.token, q) }).toEqual({ q, found: [] });
    const ownIds = async (token: string, q: string): Promise<string[]> =>
      (await t.as(token).get(`/api/v1/customers?q=${q}&limit=200`)).body.items.map((c: { id: string }) => c.id);
    expect(await ownIds(ours.butler.token, 'cdm')).toEqual([ids.cai]);
    expect(await ownIds(theirs.butler.token, 'cdm')).toEqual([ids.theirs]);
    expect(await ownIds(theirs.butler.token, '0040')).toEqual([ids.theirs]);
    expect(await ownIds(ours.manager.token, 'cdm')).toEqual([ids.cai]);
    expect(await ownIds(admin, 'cdm')).toEqual(expect.arrayContaining([ids.cai, ids.theirs]));
  });

  it('follows a renamed client: the new name is found by its pinyin, the old one no longer', async () => {
    const id = await create(ours.butler.token, '万晓东');
    expect(await search(ours.butler.token, 'wxd')).toEqual(['万晓东']);
    const res = await t.as(ours.butler.token).patch(`/api/v1/customers/${id}`, { name: '仇晓东' });
    expect(res.status).toBe(200);
    expect(await search(ours.butler.token, 'wxd')).toEqual([]);
    expect(await search(ours.butler.token, 'qiuxiaodong')).toEqual(['仇晓东']);
  });

  it('fills the pinyin of clients created and renamed by a CSV import', async () => {
    const upload = async (file: string) => {
      const boundary = `----butler-${randomUUID()}`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers/import',
        headers: {
          authorization: `Bearer ${ours.manager.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload:
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clients.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\n${file}\r\n--${boundary}--\r\n`,
      });
      expect(res.statusCode).toBe(200);
      return JSON.parse(res.body) as { created: number; updated: number };
    };
    const mobile = mobileEndingIn('7788');
    expect(await upload(`name,mobile,butlerEmail\r\n单田芳,${mobile},${ours.butler.email}\r\n`)).toMatchObject({
      created: 1,
    });
    expect(await search(ours.butler.token, 'stf')).toEqual(['单田芳']);
    expect(await search(ours.butler.token, 'shantianfang')).toEqual(['单田芳']);
    expect(await upload(`mobile,name\r\n${mobile},曾田芳\r\n`)).toMatchObject({ updated: 1 });
    expect(await search(ours.butler.token, 'stf')).toEqual([]);
    expect(await search(ours.butler.token, 'ztf')).toEqual(['曾田芳']);
    const [row] = await t.db.query('SELECT name_pinyin, name_initials FROM customers WHERE mobile = $1', [mobile]);
    expect(row).toEqual({ name_pinyin: 'zengtianfang', name_initials: 'ztf' });
  });

  it('answers a query that is too long with 400 naming q, and one with LIKE wildcards literally', async () => {
    const long = await t.as(ours.butler.token).get(`/api/v1/customers?q=${'c'.repeat(51)}`);
    expect(long.status).toBe(400);
    expect(long.body.message.join(' ')).toContain('q');
    expect(await search(ours.butler.token, '%')).toEqual([]);
    expect(await search(ours.butler.token, '_')).toEqual([]);
  });

  // The migration fills the keys of clients stored before it: run again over this file's clients.
  it('has a migration that fills the keys of the clients already stored', async () => {
    const runner = t.db.createQueryRunner();
    const migration = new CustomerPinyin1795430000000();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      const rows: { name: string; name_pinyin: string; name_initials: string }[] = await runner.query(
        'SELECT name, name_pinyin, name_initials FROM customers WHERE id = ANY($1) ORDER BY name_pinyin',
        [Object.values(ids)],
      );
      expect(rows.map((r) => `${r.name} ${r.name_pinyin} ${r.name_initials}`)).toEqual([
        '蔡德明 caideming cdm',
        '蔡德明 caideming cdm',
        '陈小红 chenxiaohong cxh',
        '欧阳修 ouyangxiu oyx',
        '单雄信 shanxiongxin sxx',
        '司马光 simaguang smg',
        '解缙 xiejin xj',
        '曾国藩 zengguofan zgf',
      ]);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await search(ours.butler.token, 'cdm')).toEqual(['蔡德明']);
  });
});
