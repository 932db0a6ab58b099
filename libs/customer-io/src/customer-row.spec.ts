import {
  EXPORT_HEADER,
  exportCells,
  ExportSource,
  ImportField,
  ImportRecord,
  neutralizeCell,
  normalizeDate,
  quickRecord,
  readHeader,
  readRow,
  readRowWithDto,
} from './customer-row';

const HEADER = [
  '姓名',
  '手机',
  '邮箱',
  '性别',
  '生日',
  '历法',
  '闰月',
  '城市',
  '等级',
  '标签',
  '管家邮箱',
  '问候同意',
  '调查同意',
  '备注',
  '问候同意-邮件',
  '问候同意-短信',
  '问候同意-企业微信',
  '调查同意-邮件',
  '调查同意-短信',
  '调查同意-企业微信',
  '首选渠道',
];
const { fields } = readHeader(HEADER);

const row = (cells: Partial<Record<string, string>>): string[] => HEADER.map((h) => cells[h] ?? '');
const record = (cells: Partial<Record<string, string>>): ImportRecord => {
  const result = readRow(fields, row(cells), 7);
  if (!result.ok) throw new Error(JSON.stringify(result.failures));
  return result.record;
};
const failures = (cells: Partial<Record<string, string>>) => {
  const result = readRow(fields, row(cells), 7);
  return result.ok ? [] : result.failures.map((f) => [f.field, f.message]);
};

describe('readHeader', () => {
  it('accepts Chinese and English names, whatever the case, spacing or width', () => {
    expect(
      readHeader(['姓名', 'Mobile', 'butler_email', 'ＥＭＡＩＬ', ' Consent Greetings ', '\uFEFF生日', '']).fields,
    ).toEqual(['name', 'mobile', 'butlerEmail', 'email', 'consentGreetings', 'birthday', null]);
    expect(readHeader(HEADER).problems).toEqual([]);
  });

  it('names unknown and repeated columns, and requires a mobile column', () => {
    const { problems } = readHeader(['姓名', 'name', '电话号']);
    expect(problems.join(' | ')).toContain('unknown columns: 电话号');
    expect(problems.join(' | ')).toContain('repeats columns: name');
    expect(problems.join(' | ')).toContain('手机/mobile');
  });
});

describe('readRow', () => {
  it('maps Chinese labels to the API values', () => {
    expect(
      record({
        姓名: ' 王建国 ',
        手机: '+86 138-1234-5678',
        邮箱: 'Wang@Example.COM',
        性别: '男',
        生日: '1987/6/10',
        历法: '农历',
        闰月: '是',
        城市: '成都',
        等级: '黑卡',
        标签: '企业客户；收藏|送礼, 企业客户',
        管家邮箱: 'Butler@Test.local',
        问候同意: '是',
        调查同意: '0',
        备注: '喜欢年份酒',
      }),
    ).toEqual({
      row: 7,
      mobile: '13812345678',
      name: '王建国',
      email: 'wang@example.com',
      gender: 'male',
      city: '成都',
      tier: 'black',
      tags: ['企业客户', '收藏', '送礼'],
      notes: '喜欢年份酒',
      birthday: {
        birthdayCalendar: 'lunar',
        birthdayYear: 1987,
        birthdayMonth: 6,
        birthdayDay: 10,
        birthdayLeapMonth: true,
      },
      consentGreetings: true,
      consentSurveys: false,
      consentChannels: {},
      preferredChannel: null,
      butler: { email: 'butler@test.local' },
    });
  });

  it('reads the tier names the console shows and the older card names', () => {
    const tierOf = (label: string): unknown => {
      const row = record({ 姓名: '王建国', 手机: '13812345678', 管家邮箱: 'b@test.local', 等级: label });
      return 'tier' in row ? row.tier : row;
    };
    expect(['普通', '白银', '黄金', '黑金'].map(tierOf)).toEqual(['regular', 'silver', 'gold', 'black']);
    expect(['银卡', '金卡', '黑卡'].map(tierOf)).toEqual(['silver', 'gold', 'black']);
  });

  it('leaves out what the row leaves empty, so an update keeps it', () => {
    expect(record({ 手机: '13812345678', 调查同意: 'yes' })).toEqual({
      row: 7,
      mobile: '13812345678',
      name: null,
      email: null,
      gender: null,
      city: null,
      tier: null,
      tags: null,
      notes: null,
      birthday: null,
      consentGreetings: null,
      consentSurveys: true,
      consentChannels: {},
      preferredChannel: null,
      butler: null,
    });
  });

  it('reads consent per purpose and channel and the preferred channel, naming a bad cell by its column', () => {
    expect(
      record({ 手机: '13812345678', '问候同意-短信': '是', '调查同意-邮件': 'no', 首选渠道: '短信' }),
    ).toMatchObject({
      consentGreetings: null,
      consentChannels: { consent_greetings_sms: true, consent_surveys_email: false },
      preferredChannel: 'sms',
    });
    expect(record({ 手机: '13812345678', 首选渠道: 'WeCom' }).preferredChannel).toBe('wecom');
    const result = readRow(fields, row({ 手机: '13812345678', '问候同意-企业微信': '也许', 首选渠道: '传真' }), 9);
    expect(result.ok ? [] : result.failures).toEqual([
      {
        row: 9,
        field: 'consentGreetingsWecom',
        code: 'isBoolean',
        params: {},
        message: '问候同意-企业微信 (consentGreetingsWecom) must be 是 or 否',
      },
      {
        row: 9,
        field: 'preferredChannel',
        code: 'isIn',
        params: { values: ['邮件', '短信', '企业微信'] },
        message: '首选渠道 (preferredChannel) must be one of 邮件, 短信, 企业微信',
      },
    ]);
  });

  it('reads a birthday without a year as solar unless told otherwise, and ignores a calendar without a date', () => {
    expect(record({ 手机: '13812345678', 生日: '8月5日' }).birthday).toEqual({
      birthdayCalendar: 'solar',
      birthdayYear: null,
      birthdayMonth: 8,
      birthdayDay: 5,
      birthdayLeapMonth: false,
    });
    expect(record({ 手机: '13812345678', 历法: '农历', 闰月: '是' }).birthday).toBeNull();
  });

  it('applies the JSON API rules and names the import column at fault', () => {
    expect(
      failures({
        手机: '1234',
        邮箱: 'nope',
        性别: '未知',
        生日: '1990-13-01',
        历法: '农历',
        等级: '钻石',
        问候同意: '也许',
        标签: 'x'.repeat(31),
      }),
    ).toEqual([
      // The create body's own fields (consent) come before those it shares with an edit.
      ['consentGreetings', 'consent.greetings must be a boolean value'],
      ['mobile', 'mobile must be a mainland mobile number (11 digits, 13x-19x)'],
      ['email', 'email must be an email'],
      ['gender', 'gender must be one of the following values: male, female, other'],
      ['birthday', expect.stringContaining('birthday.date is not a valid lunar date')],
      ['tier', 'tier must be one of the following values: regular, silver, gold, black'],
      ['tags', 'each value in tags must be shorter than or equal to 30 characters'],
    ]);
    expect(failures({ 手机: '13812345678', 生日: '1990-05-01', 历法: '阳历', 闰月: '是' })).toEqual([
      ['birthday', 'birthday.leapMonth is only for lunar birthdays'],
    ]);
    expect(failures({ 手机: '13812345678', 生日: '1990-05-01', 历法: '藏历' })).toEqual([
      ['calendar', 'birthday.calendar must be one of the following values: solar, lunar'],
    ]);
  });

  it('requires a mobile, but not a name (an update may leave it out)', () => {
    expect(failures({ 姓名: '王' })).toEqual([['mobile', 'mobile is required for import']]);
    expect(failures({ 手机: '13812345678', 姓名: 'x'.repeat(101) })).toEqual([
      ['name', 'name must be shorter than or equal to 100 characters'],
    ]);
  });

  it('flags cells beyond the header', () => {
    const result = readRow(fields, [...row({ 手机: '13812345678' }), 'extra'], 3);
    expect(result.ok ? null : result.failures).toEqual([
      {
        row: 3,
        field: null,
        code: 'extraCells',
        params: { max: 21 },
        message: 'row has more cells than the header (21)',
      },
    ]);
  });
});

describe('quickRecord', () => {
  // Values a cell may hold, the usual and the edge cases of every DTO rule.
  const CASES: Partial<Record<ImportField, string[]>> = {
    name: ['王建国', 'x'.repeat(100), 'x'.repeat(101), '😀'.repeat(100), '\t=SUM(A1)'],
    mobile: ['13812345678', '+86 138-1234-5678', '8613812345678', '12812345678', '1381234567', '138123456789', '-'],
    email: [
      'Wang@Example.COM',
      'nope',
      'a@b',
      `${'a'.repeat(64)}@${'b'.repeat(185)}.com`,
      `${'a'.repeat(64)}@${'b'.repeat(186)}.com`,
    ],
    gender: ['男', 'F', 'male', '未知', 'constructor'],
    birthday: [
      '1987/6/10',
      '1990-02-29',
      '1992-02-29',
      '2-29',
      '8月5日',
      '1990-13-01',
      '1899-12-31',
      '2100-01-01',
      '2020-04-30',
      '2021-04-30',
      '1970-01-30',
      '15/08/1970',
    ],
    calendar: ['农历', '公历', 'LUNAR', '藏历', 'toString'],
    leapMonth: ['是', '否', 'maybe'],
    city: ['成都', 'x'.repeat(50), 'x'.repeat(51)],
    tier: ['金卡', '黄金', 'GOLD', '钻石'],
    tags: [
      '企业客户；收藏|送礼, 企业客户',
      'x'.repeat(30),
      'x'.repeat(31),
      ';;',
      Array.from({ length: 21 }, (_, i) => `t${i}`).join(';'),
      `${Array.from({ length: 20 }, (_, i) => `t${i}`).join(';')};t0`,
    ],
    butlerEmail: ['Butler@Test.local'],
    butlerId: ['7d0f3a4e-3c1b-4b8e-9a6f-2d5e8c1b0a9f', 'not-a-uuid'],
    consentGreetings: ['是', '0', 'yes', '也许'],
    consentSurveys: ['否', 'TRUE', 'valueOf'],
    notes: ['喜欢年份酒', 'x'.repeat(2000), 'x'.repeat(2001)],
  };
  // A fixed pseudo-random walk through the combinations.
  let seed = 7;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const rows = Array.from({ length: 4000 }, () => {
    const value: Partial<Record<ImportField, string>> = {};
    for (const [field, cases] of Object.entries(CASES) as [ImportField, string[]][]) {
      // Mostly the first, valid value, so that valid rows are common; often left out.
      const r = random();
      if (r < 0.3) continue;
      value[field] = r < 0.75 ? cases[0] : cases[Math.floor(random() * cases.length)];
    }
    return value;
  });

  it('accepts exactly the rows the DTO accepts, and reads them the same way', () => {
    let valid = 0;
    for (const [i, value] of rows.entries()) {
      const quick = quickRecord(value, i + 1);
      const dto = readRowWithDto(value, false, 15, i + 1);
      expect({ value, accepted: quick !== null }).toEqual({ value, accepted: dto.ok });
      if (dto.ok) {
        expect(quick).toEqual(dto.record);
        valid += 1;
      }
    }
    // Both kinds were tried.
    expect(valid).toBeGreaterThan(rows.length / 10);
    expect(valid).toBeLessThan(rows.length - rows.length / 10);
  });

  it('reads leap lunar months by the year', () => {
    const leap = (birthday: string) =>
      quickRecord({ mobile: '13812345678', birthday, calendar: '农历', leapMonth: '是' }, 1)?.birthday ?? null;
    expect(leap('2020-04-15')).toEqual({
      birthdayCalendar: 'lunar',
      birthdayYear: 2020,
      birthdayMonth: 4,
      birthdayDay: 15,
      birthdayLeapMonth: true,
    });
    expect(leap('2021-04-15')).toBeNull();
  });
});

describe('normalizeDate', () => {
  it('reads the ways Excel and people write dates', () => {
    expect(['1970-8-5', '1970/08/05', '1970.8.5', '1970年8月5日', '08-05', '8/5', '8月5日'].map(normalizeDate)).toEqual(
      ['1970-08-05', '1970-08-05', '1970-08-05', '1970-08-05', '08-05', '08-05', '08-05'],
    );
    expect(normalizeDate('15/08/1970')).toBe('15/08/1970');
  });
});

describe('export cells', () => {
  const client: ExportSource = {
    name: '王建国',
    mobile: '13812345678',
    email: null,
    gender: 'female',
    birthdayCalendar: 'lunar',
    birthdayYear: null,
    birthdayMonth: 6,
    birthdayDay: 10,
    birthdayLeapMonth: true,
    city: '成都',
    tier: 'silver',
    tags: ['企业客户', '收藏'],
    butlerEmail: 'b@test.local',
    consentGreetings: true,
    consentSurveys: false,
    notes: '',
    consentGreetingsEmail: false,
    consentGreetingsSms: true,
    consentGreetingsWecom: false,
    consentSurveysEmail: false,
    consentSurveysSms: false,
    consentSurveysWecom: false,
    preferredChannel: 'sms',
  };

  it('writes the import columns with Chinese labels', () => {
    expect(EXPORT_HEADER).toEqual(HEADER);
    expect(exportCells(client)).toEqual([
      '王建国',
      '13812345678',
      '',
      '女',
      '06-10',
      '农历',
      '是',
      '成都',
      '白银',
      '企业客户;收藏',
      'b@test.local',
      '是',
      '否',
      '',
      '否',
      '是',
      '否',
      '否',
      '否',
      '否',
      '短信',
    ]);
    expect(
      exportCells({
        ...client,
        birthdayCalendar: null,
        birthdayMonth: null,
        birthdayDay: null,
        birthdayLeapMonth: false,
      }).slice(4, 7),
    ).toEqual(['', '', '']);
  });

  it('turns formula-like cells into text, and the import turns them back', () => {
    expect(['=1+1', '+86', '-x', '@a', '\tx', 'a=b', '1-2'].map(neutralizeCell)).toEqual([
      "'=1+1",
      "'+86",
      "'-x",
      "'@a",
      "'\tx",
      'a=b',
      '1-2',
    ]);
    // After a line break inside a cell too (found by a red team: "ok\n=1+2" opened as a formula row).
    expect(['ok\n=1+2', 'a\r\n@b', 'a\r-c', 'x\ny'].map(neutralizeCell)).toEqual([
      "ok\n'=1+2",
      "a\r\n'@b",
      "a\r'-c",
      'x\ny',
    ]);
    const cells = exportCells({ ...client, name: '=HYPERLINK("http://x")', notes: '-1', tags: ['@vip'] });
    expect(cells[0]).toBe(`'=HYPERLINK("http://x")`);
    const back = readRow(fields, cells, 1);
    expect(back.ok && [back.record.name, back.record.notes, back.record.tags]).toEqual([
      '=HYPERLINK("http://x")',
      '-1',
      ['@vip'],
    ]);
  });

  it('round-trips through the import', () => {
    const back = readRow(fields, exportCells(client), 1);
    expect(back.ok && back.record).toMatchObject({
      name: '王建国',
      gender: 'female',
      tier: 'silver',
      tags: ['企业客户', '收藏'],
      notes: null,
      consentGreetings: true,
      consentSurveys: false,
      consentChannels: {
        consent_greetings_email: false,
        consent_greetings_sms: true,
        consent_greetings_wecom: false,
        consent_surveys_email: false,
        consent_surveys_sms: false,
        consent_surveys_wecom: false,
      },
      preferredChannel: 'sms',
      birthday: {
        birthdayCalendar: 'lunar',
        birthdayYear: null,
        birthdayMonth: 6,
        birthdayDay: 10,
        birthdayLeapMonth: true,
      },
    });
  });
});
