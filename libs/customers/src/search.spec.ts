import { nameSearchKeys } from './name-keys';
import { clientSearchSql, parseClientQuery } from './search';

describe('nameSearchKeys', () => {
  it.each([
    ['蔡德明', 'caideming', 'cdm'],
    // Surnames read as surnames, not as the character's common reading.
    ['单雄信', 'shanxiongxin', 'sxx'],
    ['曾国藩', 'zengguofan', 'zgf'],
    ['解缙', 'xiejin', 'xj'],
    ['区小明', 'ouxiaoming', 'oxm'],
    ['仇大海', 'qiudahai', 'qdh'],
    ['朴正熙', 'piaozhengxi', 'pzx'],
    // Compound surnames.
    ['欧阳修', 'ouyangxiu', 'oyx'],
    ['司马光', 'simaguang', 'smg'],
    ['尉迟恭', 'yuchigong', 'ycg'],
    // ü is written v, as on a pinyin keyboard.
    ['吕布', 'lvbu', 'lb'],
    // Only the head is a surname: the second 单 is read as in a word.
    ['单单', 'shandan', 'sd'],
  ])('%s → %s, %s', (name, pinyin, initials) => {
    expect(nameSearchKeys(name)).toEqual({ pinyin, initials });
  });

  it('keeps Latin letters and digits, lowercase, and leaves out the rest', () => {
    expect(nameSearchKeys('John Smith')).toEqual({ pinyin: 'johnsmith', initials: 'js' });
    expect(nameSearchKeys('Tom 王')).toEqual({ pinyin: 'tomwang', initials: 'tw' });
    expect(nameSearchKeys('ＴＯＭ·王')).toEqual({ pinyin: 'tomwang', initials: 'tw' });
    expect(nameSearchKeys('😀王\ud800')).toEqual({ pinyin: 'wang', initials: 'w' });
    expect(nameSearchKeys('')).toEqual({ pinyin: '', initials: '' });
  });
});

describe('parseClientQuery', () => {
  it.each([
    ['0040', '0040'],
    ['138', '138'],
    ['13800000040', '13800000040'],
    ['+86 138 0000 0040', '13800000040'],
    ['+86-138-0000-0040', '13800000040'],
    ['8613800000040', '13800000040'],
    ['008613800000040', '13800000040'],
    ['(138) 0000.0040', '13800000040'],
    ['１３８０', '1380'],
    // Four digits that happen to be 0086 are the end of a mobile, not the country code.
    ['0086', '0086'],
  ])('%s is a mobile search for %s', (q, digits) => {
    expect(parseClientQuery(q)).toMatchObject({ kind: 'mobile', digits });
  });

  it('keeps the digits as typed for a name made of digits', () => {
    expect(parseClientQuery('+86 123')).toEqual({ kind: 'mobile', digits: '123', key: '86123' });
    expect(nameSearchKeys('+86 123').pinyin).toBe('86123');
  });

  it.each([
    ['cdm', 'cdm'],
    ['CDM', 'cdm'],
    ['ＣＤＭ', 'cdm'],
    ['cai de ming', 'caideming'],
    ["xi'an", 'xian'],
  ])('%s is a pinyin search for %s', (q, letters) => {
    expect(parseClientQuery(q)).toEqual({ kind: 'pinyin', letters });
  });

  it.each([['蔡'], ['蔡德明'], ['12'], ['王a1'], ['50%_off'], ['+86'], ['ü'], ['ｶﾅ']])('%s is part of a name', (q) => {
    // As typed, not folded: the name is matched as it is stored.
    expect(parseClientQuery(` ${q} `)).toEqual({ kind: 'name', text: q });
  });
});

describe('clientSearchSql', () => {
  it('matches the mobile from its start, and from its end from four digits on', () => {
    expect(clientSearchSql('c', '138').at(3)).toEqual({
      sql: '(c.mobile LIKE $3 OR c.name_pinyin LIKE $3)',
      params: ['138%'],
    });
    expect(clientSearchSql('c', '+86 138 0000 0040').at(1)).toEqual({
      sql: '(c.mobile LIKE $1 OR reverse(c.mobile) LIKE $2 OR c.name_pinyin LIKE $3)',
      params: ['13800000040%', '04000000831%', '8613800000040%'],
    });
  });

  it('matches the initials or the pinyin from the start, with one parameter', () => {
    expect(clientSearchSql('c', 'CDM').named('q')).toEqual({
      sql: '(c.name_initials LIKE :q0 OR c.name_pinyin LIKE :q0)',
      params: { q0: 'cdm%' },
    });
  });

  it('matches part of a name, LIKE wildcards taken literally', () => {
    expect(clientSearchSql('c', '50%_off\\').at(1)).toEqual({
      sql: 'c.name ILIKE $1',
      params: ['%50\\%\\_off\\\\%'],
    });
  });
});
