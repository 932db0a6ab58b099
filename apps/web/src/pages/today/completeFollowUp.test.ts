import type { SurveyDecision } from '../../api/follow-ups';
import i18n from '../../i18n';
import { daysUntil, rescheduleTime, surveyMessage } from './completeFollowUp';

const t = i18n.getFixedT('zh-CN', 'today');

describe('after completing a follow-up', () => {
  // Area namespaces load on demand (their own chunks).
  beforeAll(() => i18n.loadNamespaces('today'));

  it('says when the survey goes out, in Shanghai time, or why it does not', () => {
    expect(surveyMessage({ invited: true, sendAt: '2026-11-22T06:30:00.000Z' }, t)).toBe(
      '已安排满意度调查，将于 2026-11-22 14:30 发送',
    );
    expect(surveyMessage({ invited: false, reason: 'no_consent' }, t)).toBe('未发送满意度调查：客户未同意接收调查');
    // A reason a newer API adds, which this build's types do not name.
    const newer = { invited: false, reason: 'something_new' } as unknown as SurveyDecision;
    expect(surveyMessage(newer, t)).toBe('本次未发送满意度调查');
    expect(surveyMessage(null, t)).toBe('本次未发送满意度调查');
  });

  it('counts calendar days to a date', () => {
    expect(daysUntil('2026-11-25', '2026-11-22')).toBe(3);
    expect(daysUntil('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysUntil('2026-11-22', '2026-11-22')).toBe(0);
  });
});

describe('改约 quick picks', () => {
  it('are tomorrow 10:00 and 15:00 and the day after 10:00, by the Shanghai calendar', () => {
    // 23:30 on 12 March in Shanghai is still 15:30 UTC: tomorrow is 13 March there.
    const now = new Date('2031-03-12T15:30:00Z');
    expect(rescheduleTime('tomorrowMorning', now)).toBe('2031-03-13T10:00:00+08:00');
    expect(rescheduleTime('tomorrowAfternoon', now)).toBe('2031-03-13T15:00:00+08:00');
    expect(rescheduleTime('dayAfter', now)).toBe('2031-03-14T10:00:00+08:00');
    // 00:30 on 1 March in Shanghai (end of February in UTC).
    expect(rescheduleTime('tomorrowMorning', new Date('2031-02-28T16:30:00Z'))).toBe('2031-03-02T10:00:00+08:00');
  });
});
