import { randomInt } from 'node:crypto';

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

import { Clock } from '@app/common';
import { csvCell, ExportsRepository, xmlText } from '@app/exports';

import { customerBody, Member, Team, twoTeams } from './support/factories';
import { answerAfterCall } from './support/surveys';
import { bootApp, eventually, TestApp } from './support/test-app';

// Exports (issue 18 part 6): streamed CSV and .xlsx of what the caller may see.
describe('exports', () => {
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  const DAYS = '&from=2027-04-01&to=2027-04-30';

  beforeAll(async () => {
    t = await bootApp();
    ({ admin, ours, theirs } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(new Date('2027-04-10T10:00:00+08:00'));
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
  });

  const newClient = async (butler: Member, overrides: Record<string, unknown> = {}) =>
    (await t.as(butler.token).post('/api/v1/customers', customerBody(overrides))).body as { id: string; name: string };

  const answer = (butler: Member, customerId: string, form: string) =>
    answerAfterCall(t, butler, customerId, form, clock.now());

  const download = async (token: string, path: string) => {
    const res = await t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, text: res.body };
  };
  const csvRows = (bytes: Buffer): string[][] => parse(bytes, { bom: true, relax_column_count: false }) as string[][];

  let ourResponse: string;
  let theirResponse: string;
  let ourClient: { id: string; name: string };
  let theirClient: { id: string; name: string };

  beforeAll(async () => {
    ourClient = await newClient(ours.butler, { name: '钱有为', city: '杭州', tier: 'black' });
    theirClient = await newClient(theirs.butler, { name: '孙不见', city: '西安', tier: 'silver' });
    // A comment that a spreadsheet would run as a formula, with a comma and a quote.
    ourResponse = await answer(
      ours.butler,
      ourClient.id,
      `csat=2&nps=3&reliability=2&comment=${encodeURIComponent('=HYPERLINK("http://x","点我"),快递太慢了，酒是假的吧')}`,
    );
    theirResponse = await answer(
      theirs.butler,
      theirClient.id,
      'csat=5&nps=10&comment=' + encodeURIComponent('口感很好'),
    );
    await eventually(
      () => t.db.query(`SELECT 1 FROM comment_themes WHERE source_id = $1`, [ourResponse]),
      (rows) => rows.length > 0,
    );
  });

  it('exports responses as CSV: BOM, Chinese headers, frozen butler, tier, city, channel, themes', async () => {
    const res = await download(ours.manager.token, `/api/v1/exports/survey-responses?format=csv${DAYS}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="survey-responses-20270410.csv"');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRows(res.bytes);
    expect(header.slice(0, 10)).toEqual([
      '回复编号',
      '回复时间',
      '客户',
      '客户等级',
      '城市',
      '管家（接触时）',
      '团队经理',
      '来源',
      '渠道',
      '满意度（1–5）',
    ]);
    expect(header.slice(-3)).toEqual(['评论', '评论主题', '可信度标记']);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0][i]]));
    const [butler] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [ours.butler.id]);
    expect(row).toMatchObject({
      回复编号: ourResponse,
      回复时间: '2027-04-10 10:00',
      客户: '钱有为',
      客户等级: '黑金',
      城市: '杭州',
      '管家（接触时）': butler.name,
      来源: '回访',
      渠道: '邮件',
      '满意度（1–5）': '2',
      'NPS（0–10）': '3',
      可靠性: '2',
      响应性: '',
      可信度标记: '',
    });
    // Formula-safe: the cell starts with an apostrophe, and the comma and quotes survive quoting.
    expect(row['评论']).toBe(`'=HYPERLINK("http://x","点我"),快递太慢了，酒是假的吧`);
    expect(row['评论主题']).toContain('物流/送货（负面）');
    expect(res.text).not.toContain(theirClient.name);
  });

  it('exports the same rows as .xlsx that opens with the Chinese headers', async () => {
    const res = await download(admin, `/api/v1/exports/survey-responses?format=xlsx${DAYS}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('满意度回复')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('回复编号');
    expect(sheet.getRow(1).getCell(3).value).toBe('客户');
    const ids = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => n > 1 && ids.set(String(row.getCell(1).value), row));
    expect(ids.has(ourResponse) && ids.has(theirResponse)).toBe(true);
    const ourRow = ids.get(ourResponse)!;
    // Numbers are numbers, and the comment is text (never a formula) in a workbook.
    expect(ourRow.getCell(10).value).toBe(2);
    expect(ourRow.getCell(17).value).toBe('=HYPERLINK("http://x","点我"),快递太慢了，酒是假的吧');
    expect(ourRow.getCell(17).type).toBe(ExcelJS.ValueType.String);
  });

  it('shows each caller only what the access policy lets them see', async () => {
    const ids = async (token: string, path: string): Promise<string[]> =>
      csvRows((await download(token, path)).bytes)
        .slice(1)
        .map((r) => r[0]);
    const responses = `/api/v1/exports/survey-responses?format=csv${DAYS}`;
    expect(await ids(admin, responses)).toEqual(expect.arrayContaining([ourResponse, theirResponse]));
    expect(await ids(ours.manager.token, responses)).toEqual([ourResponse]);
    expect(await ids(ours.butler.token, responses)).toEqual([ourResponse]);
    expect(await ids(ours.colleague.token, responses)).toEqual([]);
    expect(await ids(theirs.manager.token, responses)).toEqual([theirResponse]);
    // Query parameters cannot widen it: unknown ones are refused, not applied.
    const widened = await download(ours.butler.token, `${responses}&butlerId=${theirs.butler.id}`);
    expect(widened.status).toBe(400);
    // A client handed to another team takes its rows with it (reached through the client).
    const moved = await newClient(ours.butler, { name: '周转走' });
    await t.as(admin).post(`/api/v1/customers/${moved.id}/assign`, { butlerId: theirs.butler.id });
    const followUps = `/api/v1/exports/follow-ups?format=csv${DAYS}`;
    const ourFollowUps = csvRows((await download(ours.manager.token, followUps)).bytes);
    expect(ourFollowUps.some((r) => r.includes('周转走'))).toBe(false);
    expect(ourFollowUps.some((r) => r.includes('钱有为'))).toBe(true);
    // A deleted client is out of everyone's reach.
    await t.as(ours.butler.token).delete(`/api/v1/customers/${ourClient.id}`);
    expect(await ids(admin, responses)).not.toContain(ourResponse);
    expect(await ids(ours.manager.token, responses)).toEqual([]);
  });

  it('exports cases with their themes, follow-ups, and the scorecard', async () => {
    const client = await newClient(theirs.butler, { name: '吴开单' });
    const opened = await t.as(theirs.butler.token).post('/api/v1/cases', {
      customerId: client.id,
      type: 'quality',
      priority: 'high',
      channel: 'phone',
      summary: '-瓶盖漏酒，包装破损',
    });
    expect(opened.status).toBe(201);
    const cases = csvRows((await download(theirs.manager.token, `/api/v1/exports/cases?format=csv${DAYS}`)).bytes);
    expect(cases[0].slice(0, 4)).toEqual(['工单编号', '开单时间', '客户', '客户等级']);
    const row = cases.find((r) => r[0] === opened.body.id)!;
    expect(row.slice(7, 12)).toEqual(['质量问题', '高', '电话', '待处理', `'-瓶盖漏酒，包装破损`]);
    expect(row[15]).toContain('包装（负面）');
    expect(cases.some((r) => r.includes('钱有为'))).toBe(false);

    const followUps = csvRows(
      (await download(theirs.butler.token, `/api/v1/exports/follow-ups?format=csv${DAYS}`)).bytes,
    );
    expect(followUps[0]).toContain('是否逾期');
    expect(followUps.length).toBeGreaterThan(1);

    const card = await download(
      ours.manager.token,
      '/api/v1/exports/scorecard?format=xlsx&from=2027-04-01&to=2027-04-30',
    );
    expect(card.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(card.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('管家评分卡')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('管家');
    const names: string[] = [];
    sheet.eachRow((r, n) => n > 1 && names.push(String(r.getCell(2).value)));
    const [ourButler] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [ours.butler.id]);
    const [theirButler] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [theirs.butler.id]);
    expect(names).toContain(ourButler.name);
    expect(names).not.toContain(theirButler.name);
  });

  // The large exports render text in SQL (ExportsRepository); the scorecard and the integrity flag
  // in TypeScript (export-writers.ts). Both must write the same bytes for the same text.
  it('renders tricky text the same in SQL as in TypeScript (formula-safe CSV, XML text)', async () => {
    const tricky = [
      '=1+1',
      '+86 138',
      '-5',
      '@SUM(A1)',
      '\tTab',
      '\rCR',
      'a\nb',
      'a\r\nb',
      '\r\n=x',
      '\r=',
      '\n=',
      'x\n=cmd',
      'x\r\n+cmd',
      'x\r\r=',
      '=\n+\r@',
      'say "hi"',
      '"',
      'a,b',
      '酒很顺口，就是快递太慢了',
      '中文,逗号"引号"',
      '',
      null,
      '<b>&amp;</b>',
      'ctl\u0001\u001f\u000bx',
      "'quoted",
      ' spaced ',
    ];
    // And a few hundred strings of the characters that matter, from a fixed seed.
    const alphabet = ['=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', '中', ' ', '<', '&', '\u0001'];
    let seed = 18;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const fuzz = Array.from({ length: 400 }, () =>
      Array.from({ length: next(9) }, () => alphabet[next(alphabet.length)]).join(''),
    );
    const texts = [...tricky, ...fuzz];
    const rendered = await t.app.get(ExportsRepository).renderTexts(texts);
    const mismatches = texts.flatMap((text, i) => {
      const sql = { csv: rendered[i].csv ?? '', xml: rendered[i].xml };
      const ts = { csv: csvCell(text), xml: text === null ? null : xmlText(text) };
      return sql.csv === ts.csv && sql.xml === ts.xml ? [] : [{ text, sql, ts }];
    });
    expect(mismatches).toEqual([]);
  });

  // A download cut off mid-COPY: the connection cannot roll back, so it is closed (its transaction
  // and COPY end with it) and the pool goes on serving exports.
  it('ends a COPY cut off early and keeps serving', async () => {
    const repository = t.app.get(ExportsRepository);
    const marker = `cut_off_${randomInt(1e9)}`;
    const big = repository.copy(
      async (_, p) => `SELECT ${p.value(marker)} || repeat('导出', 200) FROM generate_series(1, 200000)`,
    );
    expect((await big.next()).done).toBe(false);
    await big.return(undefined);
    await eventually(
      () =>
        t.db.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [`%${marker}%`]),
      (rows) => rows.length === 0,
    );
    let bytes = 0;
    for await (const chunk of repository.copy(async () => 'SELECT 1 FROM generate_series(1, 3)')) bytes += chunk.length;
    expect(bytes).toBe(6);
  });

  it('answers 400 naming the field for a bad format or period', async () => {
    const bad = async (query: string, field: string) => {
      const res = await t.as(admin).get(`/api/v1/exports/survey-responses?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('format=pdf', 'format');
    await bad('from=2027-05-01&to=2027-04-01', 'from');
    await bad('from=2027-02-30', 'from');
  });
});
