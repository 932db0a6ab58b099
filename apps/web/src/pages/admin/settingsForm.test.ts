import type { Settings } from '../../api/admin';
import { ApiError } from '../../api/client';
import { formToSectionBody, sectionErrors, sectionToForm } from './settingsForm';

const settings: Settings = {
  churn: { k: 2, singlePurchaseDays: 180, detractorDays: 90 },
  followUps: {
    cadence: [
      { days: 3, title: '到货与开瓶体验' },
      { days: 30, title: '口感回访' },
    ],
    dueHour: 10,
    skipOverdueAfterDays: 7,
  },
  caps: { greetingMinDays: 3, maxMessagesPerDays: { max: 4, days: 30 } },
  channels: { order: ['email', 'sms'] },
  festivals: {
    enabled: ['new_year', 'mid_autumn'],
    daysAhead: 7,
    autoConfirm: false,
    sendHour: 9,
    birthdays: true,
    digest: true,
  },
  surveys: {
    afterFollowUp: true,
    afterCase: true,
    afterContactKinds: ['visit', 'tasting_event'],
    cooldownDays: 14,
    delayMinutes: 120,
    expiryDays: 14,
    addressChangeDays: 14,
    earlyCompletionHours: 72,
    sessionLookbackDays: 14,
  },
  touch: { maxDaysByTier: { black: 30, gold: 60, silver: 90, regular: 180 } },
  sms: {
    templates: {
      greetings: [{ occasion: 'mid_autumn', code: 'SMS_1', text: '${name}中秋快乐。回T退订' }],
      surveyInvitation: null,
      recoveryAlert: { code: 'SMS_3', text: '${client}给${butler}打了${score}分' },
    },
    maxPerNumberPerDay: 3,
  },
  wecom: {
    corpId: null,
    agentId: null,
    enabled: false,
    contactSecretSet: false,
    agentSecretSet: false,
    callbackTokenSet: false,
    encodingAesKeySet: false,
  },
  sla: {
    cases: {
      urgent: { firstResponseHours: 1, resolutionHours: 24 },
      high: { firstResponseHours: 4, resolutionHours: 48 },
      normal: { firstResponseHours: 8, resolutionHours: 72 },
      low: { firstResponseHours: 24, resolutionHours: 168 },
    },
    recoveryHours: 24,
    managerAfterHours: 4,
    adminAfterHours: 24,
  },
};

describe('settings form ↔ PATCH /settings body', () => {
  it('sends only the saved section, with the values the form holds', () => {
    const values = { ...sectionToForm(settings, 'surveys'), cooldownDays: 21 };
    expect(formToSectionBody('surveys', values)).toEqual({
      surveys: {
        afterFollowUp: true,
        afterCase: true,
        afterContactKinds: ['visit', 'tasting_event'],
        cooldownDays: 21,
        delayMinutes: 120,
        expiryDays: 14,
        addressChangeDays: 14,
        earlyCompletionHours: 72,
        sessionLookbackDays: 14,
      },
    });
  });

  it('sends the tiers’ silent limits as one object', () => {
    const values = sectionToForm(settings, 'touch');
    expect(formToSectionBody('touch', values)).toEqual({
      touch: { maxDaysByTier: { black: 30, gold: 60, silver: 90, regular: 180 } },
    });
  });

  it('sends SMS templates as the API takes them; an empty template is none', () => {
    const values = sectionToForm(settings, 'sms');
    expect(values.templates.surveyInvitation).toEqual({ code: '', text: '', params: [] });
    const body = formToSectionBody('sms', {
      ...values,
      templates: { ...values.templates, recoveryAlert: { code: ' ', text: '', params: [] } },
    });
    expect(body).toEqual({
      sms: {
        maxPerNumberPerDay: 3,
        templates: {
          greetings: [{ occasion: 'mid_autumn', code: 'SMS_1', text: '${name}中秋快乐。回T退订' }],
          surveyInvitation: null,
          recoveryAlert: null,
        },
      },
    });
  });

  it("keeps a template's positional order (Tencent Cloud); an empty one is none", () => {
    const withOrder = {
      ...settings,
      sms: {
        ...settings.sms,
        templates: {
          ...settings.sms.templates,
          greetings: [{ ...settings.sms.templates.greetings[0], params: ['name', 'festival'] }],
        },
      },
    } as Settings;
    const values = sectionToForm(withOrder, 'sms');
    expect(values.templates.greetings[0]).toMatchObject({ params: ['name', 'festival'] });
    const edited = {
      ...values,
      templates: {
        ...values.templates,
        greetings: [{ ...values.templates.greetings[0], params: ['festival', 'name', ' butler '] }],
        recoveryAlert: { code: 'SMS_3', text: '${client}给${butler}打了${score}分', params: [] },
      },
    };
    const body = formToSectionBody('sms', edited) as { sms: Settings['sms'] };
    expect(body.sms.templates.greetings[0].params).toEqual(['festival', 'name', 'butler']);
    expect(body.sms.templates.recoveryAlert).toEqual({ code: 'SMS_3', text: '${client}给${butler}打了${score}分' });
  });

  it('drops fields the API does not know, so the whitelist does not refuse the body', () => {
    const withExtra = {
      ...settings,
      caps: { greetingMinDays: 5, maxMessagesPerDays: { max: 4, days: 30 }, legacy: 1 },
    } as unknown as Settings;
    expect(formToSectionBody('caps', sectionToForm(withExtra, 'caps'))).toEqual({
      caps: { greetingMinDays: 5, maxMessagesPerDays: { max: 4, days: 30 } },
    });
  });

  it('sends a WeCom secret only when one was typed, never what GET answered', () => {
    const form = sectionToForm(settings, 'wecom');
    expect(form).toMatchObject({ corpId: null, enabled: false, contactSecret: '', agentSecret: '' });
    expect(
      formToSectionBody('wecom', { ...form, corpId: ' ww0123 ', contactSecret: ' s3cret ', enabled: true } as never),
    ).toEqual({ wecom: { corpId: 'ww0123', agentId: null, enabled: true, contactSecret: 's3cret' } });
  });

  it('sorts cadence steps by day, trims titles and skips removed rows', () => {
    const values = sectionToForm(settings, 'followUps');
    values.cadence = [{ days: 30, title: ' 口感回访 ' }, undefined as never, { days: 1, title: '到货确认' }];
    expect(formToSectionBody('followUps', values)).toEqual({
      followUps: {
        cadence: [
          { days: 1, title: '到货确认' },
          { days: 30, title: '口感回访' },
        ],
        dueHour: 10,
        skipOverdueAfterDays: 7,
      },
    });
  });

  it('does not share arrays with the loaded settings (editing the form leaves the cache alone)', () => {
    const values = sectionToForm(settings, 'followUps');
    values.cadence[0].title = '改过';
    expect(settings.followUps.cadence[0].title).toBe('到货与开瓶体验');
  });

  it('lists enabled festivals in calendar order', () => {
    const values = {
      ...sectionToForm(settings, 'festivals'),
      enabled: ['double_ninth' as const, 'spring_festival' as const, 'new_year' as const],
    };
    expect(formToSectionBody('festivals', values).festivals?.enabled).toEqual([
      'new_year',
      'spring_festival',
      'double_ninth',
    ]);
  });

  it('sends a cleared number as null so the API names the field', () => {
    const values = { ...sectionToForm(settings, 'churn'), detractorDays: null };
    expect(formToSectionBody('churn', values)).toEqual({
      churn: { k: 2, singlePurchaseDays: 180, detractorDays: null },
    });
  });

  it('puts the API field problems on the section fields in Chinese, cadence rows included', () => {
    const error = new ApiError(400, ['surveys.cooldownDays must not be less than 0'], {
      code: 'VALIDATION_FAILED',
      fields: [
        { field: 'surveys.cooldownDays', code: 'min', params: { min: 0 } },
        { field: 'surveys.expiryDays', code: 'max', params: { max: 90 } },
      ],
    });
    expect(sectionErrors('surveys', error)).toEqual({
      fields: [
        { name: ['cooldownDays'], errors: ['不能小于 0'] },
        { name: ['expiryDays'], errors: ['不能大于 90'] },
      ],
      rest: [],
    });
    const cadence = new ApiError(400, ['followUps.cadence.1.title must be longer than or equal to 1 characters'], {
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'followUps.cadence.1.title', code: 'minLength', params: { min: 1 } }],
    });
    expect(sectionErrors('followUps', cadence).fields).toEqual([
      { name: ['cadence', 1, 'title'], errors: ['此项不能为空'] },
    ]);
    const other = new ApiError(403, ['Forbidden resource'], { code: 'FORBIDDEN' });
    expect(sectionErrors('caps', other)).toEqual({ fields: [], rest: ['您没有权限执行此操作'] });
    // No answer at all, or a 5xx: a Chinese sentence that says to try again.
    expect(sectionErrors('caps', new ApiError(0, [])).rest).toEqual(['网络连接失败，请检查网络后重试']);
    expect(sectionErrors('caps', new ApiError(502, [])).rest).toEqual(['服务器暂时无法处理，请稍后重试']);
  });
});

describe('the SLA section', () => {
  it("sends every priority and the escalation hours, and puts the API's field errors on their inputs", () => {
    const values = sectionToForm(settings, 'sla');
    expect(formToSectionBody('sla', { ...values, recoveryHours: 12 })).toEqual({
      sla: { ...settings.sla, recoveryHours: 12 },
    });
    const error = new ApiError(400, ['sla.cases.high.resolutionHours must not be less than its firstResponseHours'], {
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'sla.cases.high.resolutionHours', code: 'notBeforeFirstResponse', params: {} }],
    });
    expect(sectionErrors('sla', error).fields).toEqual([
      { name: ['cases', 'high', 'resolutionHours'], errors: ['解决时限不能短于同一优先级的首次响应时限'] },
    ]);
  });
});
