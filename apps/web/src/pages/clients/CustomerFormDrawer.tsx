import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Divider,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CONSENT_SOURCES, Customer, customerKeys, customersApi, GENDERS } from '../../api/customers';
import { TIERS } from '../../api/types';
import { useSession } from '../../auth/session';
import { ButlerSelect } from '../../components/ButlerSelect';
import { showApiErrors } from '../../components/formErrors';
import {
  CHANNELS,
  customerFieldName,
  CustomerFormValues,
  emptyCustomerForm,
  fromCustomer,
  toCustomerBody,
} from './customerForm';

interface Props {
  open: boolean;
  // Edit this client; create a new one when absent.
  customer?: Customer;
  onClose(): void;
  onSaved?(customer: Customer): void;
}

// Create or edit a client. The API validates; its messages land on the field they name.
export default function CustomerFormDrawer({ open, customer, onClose, onSaved }: Props) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { hasRole } = useSession();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerFormValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const calendar = Form.useWatch(['birthday', 'calendar'], form);
  const editing = !!customer;
  // The client as the form loaded it, taken when the drawer opens: an edit sends consent only as
  // far as the user changed it from this, even if the record is refetched while the form is open
  // (the client may unsubscribe meanwhile; the form still shows the old answer).
  const [loaded, setLoaded] = useState<CustomerFormValues | null>(null);
  if (open && !loaded) setLoaded(customer ? fromCustomer(customer) : emptyCustomerForm);
  if (!open && loaded) setLoaded(null);

  const save = useMutation({
    mutationFn: (values: CustomerFormValues) =>
      editing
        ? customersApi.update(customer.id, toCustomerBody(values, 'update', loaded ?? fromCustomer(customer)))
        : customersApi.create(toCustomerBody(values, 'create')),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      queryClient.setQueryData(customerKeys.one(saved.id), saved);
      message.success(editing ? t('form.saved') : t('form.created', { name: saved.name }));
      form.resetFields();
      setGeneral([]);
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => setGeneral(showApiErrors(form, error, customerFieldName, isFormField)),
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={editing ? t('form.editTitle') : t('form.createTitle')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{tc('cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {tc('save')}
          </Button>
        </Space>
      }
    >
      {general.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('form.failed')}
          description={general.join('；')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<CustomerFormValues>
        form={form}
        layout="vertical"
        initialValues={loaded ?? emptyCustomerForm}
        onFinish={(values) => {
          setGeneral([]);
          save.mutate(values);
        }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('form.name')}
              rules={[{ required: true, whitespace: true, message: t('form.nameRequired') }]}
            >
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="mobile" label={t('form.mobile')}>
              <Input inputMode="tel" maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="email" label={t('form.email')}>
              <Input type="email" maxLength={254} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gender" label={t('form.gender')}>
              <Select allowClear options={GENDERS.map((g) => ({ value: g, label: t(`form.genders.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="city" label={t('form.city')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="wechatId" label={t('form.wechatId')}>
              <Input maxLength={40} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="externalUserId" label={t('form.externalUserId')} extra={t('form.externalUserIdHelp')}>
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tier" label={t('form.tier')}>
              <Select options={TIERS.map((tier) => ({ value: tier, label: tc(`tiers.${tier}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t('form.tags')}>
          <Select mode="tags" placeholder={t('form.tagsPlaceholder')} open={false} suffixIcon={null} />
        </Form.Item>
        {!editing && hasRole('manager', 'admin') && (
          <Form.Item name="butlerId" label={t('form.butler')} extra={t('form.butlerHint')}>
            <ButlerSelect allowClear />
          </Form.Item>
        )}

        <Divider titlePlacement="start">{t('form.birthday')}</Divider>
        <Form.Item name={['birthday', 'calendar']} label={t('form.calendar')}>
          <Radio.Group
            optionType="button"
            options={(['none', 'solar', 'lunar'] as const).map((c) => ({ value: c, label: t(`form.calendars.${c}`) }))}
          />
        </Form.Item>
        {calendar && calendar !== 'none' && (
          <Form.Item label={t('form.birthdayDate')} required>
            <Space.Compact block>
              <Form.Item name={['birthday', 'year']} noStyle>
                <InputNumber
                  aria-label={t('form.year')}
                  placeholder={t('form.year')}
                  min={1900}
                  max={2100}
                  precision={0}
                  style={{ width: '40%' }}
                />
              </Form.Item>
              <Form.Item
                name={['birthday', 'month']}
                noStyle
                rules={[{ required: true, message: t('form.monthDayRequired') }]}
              >
                <InputNumber
                  aria-label={t('form.month')}
                  placeholder={t('form.month')}
                  min={1}
                  max={12}
                  precision={0}
                  style={{ width: '30%' }}
                />
              </Form.Item>
              <Form.Item
                name={['birthday', 'day']}
                noStyle
                rules={[{ required: true, message: t('form.monthDayRequired') }]}
              >
                <InputNumber
                  aria-label={t('form.day')}
                  placeholder={t('form.day')}
                  min={1}
                  max={31}
                  precision={0}
                  style={{ width: '30%' }}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        )}
        {calendar === 'lunar' && (
          <Form.Item name={['birthday', 'leapMonth']} valuePropName="checked">
            <Checkbox>{t('form.leapMonth')}</Checkbox>
          </Form.Item>
        )}

        <Divider titlePlacement="start">{t('form.consent')}</Divider>
        {(['greetings', 'surveys'] as const).map((purpose) => (
          <Form.Item
            key={purpose}
            label={t(purpose === 'greetings' ? 'form.consentGreetings' : 'form.consentSurveys')}
            style={{ marginBottom: 8 }}
          >
            <Space wrap>
              {CHANNELS.map((channel) => (
                <Form.Item key={channel} name={['consent', purpose, channel]} valuePropName="checked" noStyle>
                  <Checkbox>{tc(`channels.${channel}`)}</Checkbox>
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
        ))}
        <Form.Item name="preferredChannel" label={t('form.preferredChannel')} extra={t('form.preferredChannelHelp')}>
          <Select
            allowClear
            placeholder={t('form.preferredChannelNone')}
            options={CHANNELS.map((ch) => ({ value: ch, label: tc(`channels.${ch}`) }))}
          />
        </Form.Item>
        <Form.Item name={['consent', 'source']} label={t('form.consentSource')}>
          <Select allowClear options={CONSENT_SOURCES.map((s) => ({ value: s, label: t(`form.sources.${s}`) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('form.notes')}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

const FORM_FIELDS = new Set([
  'name',
  'mobile',
  'email',
  'gender',
  'city',
  'wechatId',
  'externalUserId',
  'tier',
  'tags',
  'butlerId',
  'birthday.calendar',
  'birthday.year',
  'birthday.month',
  'birthday.day',
  'birthday.leapMonth',
  ...['greetings', 'surveys'].flatMap((p) => CHANNELS.map((ch) => `consent.${p}.${ch}`)),
  'consent.source',
  'preferredChannel',
  'notes',
]);

function isFormField(name: (string | number)[]): boolean {
  return FORM_FIELDS.has(name.join('.'));
}
