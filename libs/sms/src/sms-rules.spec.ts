import {
  fillSmsTemplate,
  isOptOut,
  mainlandMobile,
  marketingSendTime,
  smsLength,
  templateVariables,
} from './sms-rules';

describe('SMS rules', () => {
  it('accepts mainland mobiles only, normalised to 11 digits', () => {
    expect(mainlandMobile('13812345678')).toBe('13812345678');
    expect(mainlandMobile('+86 138-1234-5678')).toBe('13812345678');
    expect(mainlandMobile('008619912345678')).toBe('19912345678');
    expect(mainlandMobile('8613812345678')).toBe('13812345678');
    for (const bad of ['12812345678', '1381234567', '138123456789', '+85291234567', '010-12345678', '', null])
      expect(mainlandMobile(bad)).toBeNull();
  });

  it('holds marketing between 20:00 and 08:00 Shanghai until 08:00', () => {
    const at = (iso: string) => marketingSendTime(new Date(iso)).toISOString();
    expect(at('2026-12-06T21:00:00+08:00')).toBe(new Date('2026-12-07T08:00:00+08:00').toISOString());
    expect(at('2026-12-06T20:00:00+08:00')).toBe(new Date('2026-12-07T08:00:00+08:00').toISOString());
    expect(at('2026-12-07T07:59:00+08:00')).toBe(new Date('2026-12-07T08:00:00+08:00').toISOString());
    expect(at('2026-12-07T08:00:00+08:00')).toBe(new Date('2026-12-07T08:00:00+08:00').toISOString());
    expect(at('2026-12-07T19:59:00+08:00')).toBe(new Date('2026-12-07T19:59:00+08:00').toISOString());
  });

  it('counts characters and segments: 70 in one, 67 per part beyond', () => {
    expect(smsLength('【白酒管家】')).toEqual({ length: 6, segments: 1 });
    expect(smsLength('字'.repeat(70))).toEqual({ length: 70, segments: 1 });
    expect(smsLength('字'.repeat(71))).toEqual({ length: 71, segments: 2 });
    expect(smsLength('a'.repeat(134))).toEqual({ length: 134, segments: 2 });
    expect(smsLength('a'.repeat(135))).toEqual({ length: 135, segments: 3 });
    // The signature counts: a 66-character text under a 6-character 签名 is two messages.
    expect(smsLength(fillSmsTemplate('白酒管家', '字'.repeat(65), {}))).toEqual({ length: 71, segments: 2 });
  });

  it('fills ${var} placeholders and lists them', () => {
    const text = '${name}您好，${butler}祝您中秋快乐。${name}回T退订';
    expect(templateVariables(text)).toEqual(['name', 'butler']);
    expect(fillSmsTemplate('白酒管家', text, { name: '王先生', butler: '李娜' })).toBe(
      '【白酒管家】王先生您好，李娜祝您中秋快乐。王先生回T退订',
    );
  });

  it('reads T, TD and 退订 as an opt-out', () => {
    for (const yes of ['T', 't', ' TD ', '退订', 'T。']) expect(isOptOut(yes)).toBe(true);
    for (const no of ['谢谢', 'TT', '好的', '']) expect(isOptOut(no)).toBe(false);
  });
});
