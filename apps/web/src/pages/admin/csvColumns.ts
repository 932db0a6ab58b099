// The customer CSV's columns, as libs/customer-io reads and writes them: the import field (English,
// what a row failure names) and the Chinese header the export writes and the import accepts. These
// are part of the file format, not interface text, so they do not go through i18n.
export const CSV_COLUMNS = [
  ['name', '姓名'],
  ['mobile', '手机'],
  ['email', '邮箱'],
  ['gender', '性别'],
  ['birthday', '生日'],
  ['calendar', '历法'],
  ['leapMonth', '闰月'],
  ['city', '城市'],
  ['tier', '等级'],
  ['tags', '标签'],
  ['butlerEmail', '管家邮箱'],
  ['butlerId', '管家ID'],
  ['consentGreetings', '问候同意'],
  ['consentSurveys', '调查同意'],
  ['notes', '备注'],
] as const;

export type CsvField = (typeof CSV_COLUMNS)[number][0];

const HEADER_BY_FIELD = new Map<string, string>(CSV_COLUMNS);

export function csvHeaderOf(field: string): string | undefined {
  return HEADER_BY_FIELD.get(field);
}

// A file people can fill in: the export's columns (no 管家ID) and two example clients.
const SAMPLE_ROWS: Record<Exclude<CsvField, 'butlerId'>, string>[] = [
  {
    name: '王建国',
    mobile: '13812345678',
    email: 'wang@example.com',
    gender: '男',
    birthday: '1970-08-15',
    calendar: '农历',
    leapMonth: '否',
    city: '成都',
    tier: '黄金',
    tags: '企业客户;收藏',
    butlerEmail: 'butler@example.com',
    consentGreetings: '是',
    consentSurveys: '是',
    notes: '喜欢收藏年份酒',
  },
  {
    name: '李秀英',
    mobile: '13900001111',
    email: '',
    gender: '女',
    birthday: '1982-03-08',
    calendar: '公历',
    leapMonth: '',
    city: '上海',
    tier: '普通',
    tags: '',
    butlerEmail: 'butler@example.com',
    consentGreetings: '是',
    consentSurveys: '否',
    notes: '',
  },
];

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

// UTF-8 with a BOM and CRLF, like the export, so Excel opens it with the Chinese intact.
export function sampleCsv(butlerEmail?: string): string {
  const columns = CSV_COLUMNS.filter(([field]) => field !== 'butlerId') as [Exclude<CsvField, 'butlerId'>, string][];
  const lines = [columns.map(([, header]) => header).join(',')];
  for (const row of SAMPLE_ROWS) {
    lines.push(
      columns.map(([field]) => quote(field === 'butlerEmail' && butlerEmail ? butlerEmail : row[field])).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
