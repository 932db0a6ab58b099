import { ApiError } from '../api/client';
import { changedPaths, errorText, ruleText } from './formErrors';

describe('errors in Chinese', () => {
  it('says a code with what its body names, never the English message', () => {
    const open = new ApiError(409, ['This butler still has 69 client(s), 3 open follow-up(s); reassign them first'], {
      code: 'BUTLER_HAS_OPEN_WORK',
      clients: 69,
      followUps: 3,
      cases: 0,
    });
    expect(errorText(open)).toBe('该管家名下仍有 69 位客户、3 条未完成回访，请先转移给其他管家');
    const move = new ApiError(409, ['A case cannot move from open to resolved; allowed: in_progress'], {
      code: 'CASE_TRANSITION_NOT_ALLOWED',
      from: 'open',
      to: 'resolved',
      allowed: ['in_progress'],
    });
    expect(errorText(move)).toBe('工单不能从「待处理」直接变为「已解决」');
    const fields = new ApiError(400, ['mobile must be a mainland mobile number (11 digits, 13x-19x)'], {
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'mobile', code: 'isMobile', params: {} }],
    });
    expect(errorText(fields)).toBe('手机号：请输入有效的中国大陆手机号');
  });

  it('says a failed fetch, a 5xx and an unknown code in Chinese', () => {
    expect(errorText(new TypeError('Failed to fetch'))).toBe('网络连接失败，请检查网络后重试');
    expect(errorText(new ApiError(503, ['Service Unavailable']))).toBe('服务器暂时无法处理，请稍后重试');
    expect(errorText(new ApiError(404, ['Cannot GET /x'], { code: 'SOMETHING_NEW' }))).toBe('记录不存在或已被删除');
  });

  it('says each rule with its params', () => {
    expect(ruleText({ code: 'maxLength', params: { max: 30 } })).toBe('不能超过 30 个字符');
    expect(ruleText({ code: 'minLength', params: { min: 1 } })).toBe('此项不能为空');
    expect(ruleText({ code: 'isIn', params: { values: ['male', 'female', 'other'] } })).toBe(
      '请从以下选项中选择：男、女、其他',
    );
    expect(ruleText({ code: 'isIn', params: { values: ['jiang', 'nong'] } })).toBe('请从可选项中选择');
    expect(ruleText({ code: 'isActiveButler', params: { team: true } })).toBe('请选择本团队在职的管家');
    expect(ruleText({ code: 'isActiveButler', params: { team: false } })).toBe('请选择在职的管家');
    expect(ruleText({ code: 'aRuleFromTheFuture' })).toBe('填写的内容有误，请按提示修改');
  });
});

describe('changedPaths', () => {
  it('names each edited leaf, list items by index, skipping the unchanged ones', () => {
    expect(changedPaths({ surveys: { cooldownDays: 16 } })).toEqual([['surveys', 'cooldownDays']]);
    // eslint-disable-next-line no-sparse-arrays
    expect(changedPaths({ templates: { greetings: [, { text: '回T退订' }] } })).toEqual([
      ['templates', 'greetings', 1, 'text'],
    ]);
    expect(changedPaths({ order: ['sms', 'email'] })).toEqual([
      ['order', 0],
      ['order', 1],
    ]);
    expect(changedPaths({ tags: [] })).toEqual([['tags']]);
    const when = new Date('2027-01-01T00:00:00Z');
    expect(changedPaths({ sendAt: when })).toEqual([['sendAt']]);
  });
});
