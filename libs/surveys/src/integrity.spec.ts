import { POLARITIES, THEMES } from '../../comment-themes/src/lexicon';
import { COMMENT_POLARITIES, COMMENT_THEMES } from './dto/survey-result.dto';
import { describeReason, reasonsAtSend } from './integrity';

const HOUR = 3_600_000;
const contact = new Date('2026-12-01T10:00:00+08:00');
const rules = { addressChangeDays: 14, earlyCompletionHours: 72 };

describe('rating integrity reasons', () => {
  it('names an address change by the butler, before the contact or after it', () => {
    const before = reasonsAtSend(
      {
        occurredAt: contact,
        addressChangedAt: new Date(contact.getTime() - 30 * HOUR),
        dueAt: null,
        completedAt: null,
      },
      'email',
      rules,
    );
    expect(before).toEqual([
      { code: 'address_changed', field: 'email', changedAt: '2026-11-29T20:00:00.000Z', daysBeforeContact: 2 },
    ]);
    expect(describeReason(before[0])).toBe('问卷发送的邮箱于 2026-11-30 04:00 由被评管家本人修改（联系前 2 天内）');
    const after = reasonsAtSend(
      { occurredAt: contact, addressChangedAt: new Date(contact.getTime() + HOUR), dueAt: null, completedAt: null },
      'mobile',
      rules,
    );
    expect(describeReason(after[0])).toBe(
      '问卷发送的手机号于 2026-12-01 11:00 由被评管家本人修改（联系之后、发送之前）',
    );
    expect(
      reasonsAtSend({ occurredAt: contact, addressChangedAt: contact, dueAt: null, completedAt: null }, 'email', {
        ...rules,
        addressChangeDays: 0,
      }),
    ).toEqual([]);
  });

  it('calls a completion "long before due" only past earlyCompletionHours', () => {
    const at = (hoursEarly: number) =>
      reasonsAtSend(
        {
          occurredAt: contact,
          addressChangedAt: null,
          dueAt: new Date(contact.getTime() + hoursEarly * HOUR),
          completedAt: contact,
        },
        'email',
        rules,
      );
    expect(at(72)).toEqual([]);
    expect(at(-5)).toEqual([]);
    const [early] = at(24 * 7);
    expect(early).toMatchObject({ code: 'early_completion', hoursEarly: 168 });
    expect(describeReason(early)).toBe(
      '回访应于 2026-12-08 10:00 进行，却在 2026-12-01 10:00 就已完成（提前 168 小时）',
    );
  });

  it('words an origin match', () => {
    expect(describeReason({ code: 'butler_origin', match: 'ip' })).toBe('答卷所用的网络地址与被评管家近期登录时相同');
  });

  it("filters responses by the comment-themes library's own themes and stances", () => {
    expect([...COMMENT_THEMES]).toEqual([...THEMES]);
    expect([...COMMENT_POLARITIES]).toEqual([...POLARITIES]);
  });
});
