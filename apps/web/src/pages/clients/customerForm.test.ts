import { ApiError } from '../../api/client';
import type { Customer } from '../../api/customers';
import { apiErrorsToFields } from '../../components/formErrors';
import { customerFieldName, CustomerFormValues, emptyCustomerForm, fromCustomer, toCustomerBody } from './customerForm';

const filled: CustomerFormValues = {
  name: ' 王建国 ',
  mobile: '13812345678',
  email: 'wang@example.com',
  gender: 'male',
  birthday: { calendar: 'lunar', year: 1970, month: 8, day: 15, leapMonth: false },
  city: '成都',
  tier: 'gold',
  tags: ['企业客户', ' 企业客户', ''],
  consent: {
    greetings: { email: true, sms: true, wecom: false },
    surveys: { email: false, sms: false, wecom: false },
    source: 'store',
  },
  preferredChannel: 'sms',
  notes: '喜欢收藏年份酒',
  butlerId: '7b0c4c3e-2f7a-4a51-9f1e-0d5d2c1f0a11',
};

describe('client form → POST /customers body', () => {
  it('builds the API body, with a lunar birthday as date + calendar + leapMonth', () => {
    expect(toCustomerBody(filled, 'create')).toEqual({
      name: '王建国',
      mobile: '13812345678',
      email: 'wang@example.com',
      gender: 'male',
      birthday: { date: '1970-08-15', calendar: 'lunar', leapMonth: false },
      city: '成都',
      tier: 'gold',
      tags: ['企业客户'],
      consent: {
        channels: {
          greetings: { email: true, sms: true, wecom: false },
          surveys: { email: false, sms: false, wecom: false },
        },
        source: 'store',
      },
      preferredChannel: 'sms',
      notes: '喜欢收藏年份酒',
      butlerId: '7b0c4c3e-2f7a-4a51-9f1e-0d5d2c1f0a11',
    });
  });

  it('sends MM-DD when the year is unknown, and no leapMonth for a solar birthday', () => {
    const body = toCustomerBody(
      { ...filled, birthday: { calendar: 'solar', year: null, month: 3, day: 7, leapMonth: true } },
      'create',
    );
    expect(body.birthday).toEqual({ date: '03-07', calendar: 'solar' });
  });

  it('leaves empty fields out on create and clears them with null on update; never sends butlerId on update', () => {
    const values: CustomerFormValues = {
      ...emptyCustomerForm,
      name: '李四',
      mobile: '  ',
      consent: {
        greetings: { email: false, sms: false, wecom: false },
        surveys: { email: true, sms: false, wecom: false },
        source: undefined,
      },
    };
    expect(toCustomerBody(values, 'create')).toEqual({
      name: '李四',
      tier: 'regular',
      tags: [],
      consent: {
        channels: {
          greetings: { email: false, sms: false, wecom: false },
          surveys: { email: true, sms: false, wecom: false },
        },
      },
      notes: '',
    });
    const update = toCustomerBody({ ...values, butlerId: 'someone' }, 'update', values);
    expect(update).toMatchObject({
      mobile: null,
      email: null,
      gender: null,
      birthday: null,
      city: null,
      preferredChannel: null,
    });
    expect(update).not.toHaveProperty('butlerId');
  });

  it('reads a client back into the form, year-less birthdays included', () => {
    const customer = {
      id: 'c1',
      name: '张三',
      mobile: null,
      email: null,
      gender: null,
      birthday: { date: '12-01', calendar: 'lunar', leapMonth: true },
      city: null,
      tier: 'silver',
      tags: ['老客户'],
      butlerId: 'b1',
      consent: {
        greetings: false,
        surveys: true,
        channels: {
          greetings: { email: false, sms: false, wecom: false },
          surveys: { email: true, sms: false, wecom: false },
        },
        updatedAt: null,
        source: 'wechat',
      },
      preferredChannel: null,
      notes: '',
    } as unknown as Customer;
    const values = fromCustomer(customer);
    expect(values.birthday).toEqual({ calendar: 'lunar', year: null, month: 12, day: 1, leapMonth: true });
    expect(toCustomerBody(values, 'update', values).birthday).toEqual({
      date: '12-01',
      calendar: 'lunar',
      leapMonth: true,
    });
  });

  describe('consent on an edit', () => {
    const loaded = fromCustomer({
      id: 'c1',
      name: '张三',
      mobile: null,
      email: null,
      gender: null,
      birthday: null,
      city: null,
      tier: 'gold',
      tags: [],
      butlerId: 'b1',
      consent: {
        greetings: true,
        surveys: true,
        channels: {
          greetings: { email: true, sms: false, wecom: false },
          surveys: { email: true, sms: false, wecom: false },
        },
        updatedAt: '2026-11-01T02:00:00.000Z',
        source: 'store',
      },
      preferredChannel: null,
      notes: '',
    } as unknown as Customer);

    it(
      'is left out when the user did not change it, ' +
        'so a form opened before the client unsubscribed cannot undo it',
      () => {
        const body = toCustomerBody({ ...loaded, notes: '改了备注' }, 'update', loaded);
        expect(body.notes).toBe('改了备注');
        expect(body).not.toHaveProperty('consent');
        // Toggled and toggled back is no change either.
        expect(toCustomerBody({ ...loaded, consent: { ...loaded.consent } }, 'update', loaded)).not.toHaveProperty(
          'consent',
        );
      },
    );

    it('sends only the answers the user changed, and the source only when they picked another', () => {
      const surveysBySms = { ...loaded.consent, surveys: { email: true, sms: true, wecom: false } };
      expect(toCustomerBody({ ...loaded, consent: surveysBySms }, 'update', loaded).consent).toEqual({
        channels: { surveys: { sms: true } },
      });
      const noGreetingEmail = {
        greetings: { email: false, sms: false, wecom: false },
        surveys: { email: true, sms: false, wecom: false },
        source: 'phone',
      };
      expect(toCustomerBody({ ...loaded, consent: noGreetingEmail }, 'update', loaded).consent).toEqual({
        channels: { greetings: { email: false } },
        source: 'phone',
      });
      expect(
        toCustomerBody({ ...loaded, consent: { ...loaded.consent, source: 'wechat' } }, 'update', loaded).consent,
      ).toEqual({ source: 'wechat' });
      expect(
        toCustomerBody({ ...loaded, consent: { ...loaded.consent, source: null } }, 'update', loaded),
      ).not.toHaveProperty('consent');
    });

    it('is sent whole when creating a client', () => {
      expect(toCustomerBody({ ...emptyCustomerForm, name: '李四' }, 'create').consent).toEqual({
        channels: {
          greetings: { email: true, sms: false, wecom: false },
          surveys: { email: true, sms: false, wecom: false },
        },
        source: 'store',
      });
    });
  });

  it('puts the API field problems on the fields they name, in Chinese, nested ones included', () => {
    const error = new ApiError(400, ['mobile must be a mainland mobile number (11 digits, 13x-19x)'], {
      code: 'VALIDATION_FAILED',
      fields: [
        { field: 'mobile', code: 'isMobile', params: {} },
        { field: 'birthday.date', code: 'isBirthdayDate', params: {} },
        { field: 'consent.source', code: 'maxLength', params: { max: 40 } },
        { field: 'tags', code: 'maxLength', params: { max: 30 } },
        { field: 'tier', code: 'isIn', params: { values: ['regular', 'silver', 'gold', 'black'] } },
        { field: 'name', code: 'required', params: {} },
      ],
    });
    const { fields, rest } = apiErrorsToFields(error, customerFieldName);
    expect(fields).toEqual([
      { name: ['mobile'], errors: ['请输入有效的中国大陆手机号'] },
      { name: ['birthday', 'month'], errors: ['请输入有效的生日（该日期须在所选历法中存在）'] },
      { name: ['consent', 'source'], errors: ['不能超过 40 个字符'] },
      { name: ['tags'], errors: ['不能超过 30 个字符'] },
      { name: ['tier'], errors: ['请从以下选项中选择：普通、白银、黄金、黑金'] },
      { name: ['name'], errors: ['此项为必填项'] },
    ]);
    expect(rest).toEqual([]);
    // A 409 for a taken mobile is said under the mobile field; another 409 above the form.
    const taken = new ApiError(409, ['mobile is already used by another client'], { code: 'CUSTOMER_MOBILE_TAKEN' });
    expect(apiErrorsToFields(taken)).toEqual({
      fields: [{ name: ['mobile'], errors: ['该手机号已被其他客户使用'] }],
      rest: [],
    });
    const closed = new ApiError(409, ['This case is closed'], { code: 'CASE_CLOSED' });
    expect(apiErrorsToFields(closed).rest).toEqual(['工单已关闭，无法修改；如需继续处理，请新建工单']);
  });
});
