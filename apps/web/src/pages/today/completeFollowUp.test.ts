import type { SurveyDecision } from '../../api/follow-ups';
import i18n from '../../i18n';
import { daysUntil, surveyMessage } from './completeFollowUp';

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
