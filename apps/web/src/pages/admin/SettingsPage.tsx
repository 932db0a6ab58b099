import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Tabs,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import {
  adminKeys,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  FESTIVAL_KEYS,
  OCCASIONS,
  SETTINGS_SECTIONS,
  settingsApi,
  smsApi,
  TOUCH_TIERS,
  wecomApi,
  type Settings,
  type SettingsSection,
} from '../../api/admin';
import { clearEditedErrors, errorText } from '../../components/formErrors';
import { formToSectionBody, sectionErrors, sectionToForm, type SectionValues } from './settingsForm';
import { SMS_SAMPLES, smsPreview, type SmsPurpose } from './smsPreview';

// One form per section; saving one sends that section only, and the API's messages
// ("surveys.cooldownDays must not be less than 0") land on the field they name.
function SectionForm<S extends SettingsSection>({
  section,
  settings,
  children,
}: {
  section: S;
  settings: Settings;
  children: ReactNode;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SectionValues<S>>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (values: SectionValues<S>) => settingsApi.update(formToSectionBody(section, values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(adminKeys.settings, saved);
      form.setFieldsValue(sectionToForm(saved, section) as never);
      message.success(t('settings.saved', { section: t(`settings.sections.${section}`) }));
    },
    onError: (error) => {
      const { fields, rest } = sectionErrors(section, error);
      if (fields.length > 0) form.setFields(fields as never);
      setProblems(rest);
    },
  });
  return (
    <Form<SectionValues<S>>
      form={form}
      layout="vertical"
      name={`settings-${section}`}
      initialValues={sectionToForm(settings, section)}
      onValuesChange={(changed) => clearEditedErrors(form, changed)}
      onFinish={(values) => {
        setProblems([]);
        save.mutate(values);
      }}
      style={{ maxWidth: 720 }}
    >
      {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={problems.join('；')} />}
      {children}
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common:save')}
        </Button>
      </Form.Item>
    </Form>
  );
}

// No min/max here: the API holds the limits and its message shows on the field (a clamped input
// would change a typed value without saying why).
const whole = { precision: 0, style: { width: '100%' } } as const;

function CadenceList() {
  const { t } = useTranslation('admin');
  const screens = Grid.useBreakpoint();
  return (
    <Form.Item label={t('settings.followUps.cadence')} required>
      <Form.List name="cadence">
        {(rows, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {rows.map(({ key, name }) => (
              <Row key={key} gutter={8} align="top" wrap={!screens.sm}>
                <Col flex={screens.sm ? '140px' : '100%'}>
                  <Form.Item
                    name={[name, 'days']}
                    rules={[{ required: true, message: t('requiredField', { label: t('settings.followUps.days') }) }]}
                    style={{ marginBottom: 8 }}
                  >
                    <InputNumber
                      {...whole}
                      suffix={t('settings.followUps.daysSuffix')}
                      aria-label={t('settings.followUps.days')}
                    />
                  </Form.Item>
                </Col>
                <Col flex="auto">
                  <Form.Item
                    name={[name, 'title']}
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('requiredField', { label: t('settings.followUps.stepTitle') }),
                      },
                    ]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input
                      placeholder={t('settings.followUps.stepTitle')}
                      aria-label={t('settings.followUps.stepTitle')}
                      maxLength={100}
                    />
                  </Form.Item>
                </Col>
                <Col flex="32px">
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(name)}
                    aria-label={t('settings.followUps.removeStep')}
                  />
                </Col>
              </Row>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ days: null, title: '' })}
              disabled={rows.length >= 10}
            >
              {t('settings.followUps.addStep')}
            </Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  );
}

// The filled message as a phone shows it, its length and SMS count, under an approved text.
function SmsPreviewLine({
  path,
  purpose,
  signName,
}: {
  path: (string | number)[];
  purpose: SmsPurpose;
  signName: string | null;
}) {
  const { t } = useTranslation('admin');
  const text = Form.useWatch([...path, 'text'], Form.useFormInstance()) as string | undefined;
  if (!text) return null;
  const preview = smsPreview(signName, text, purpose);
  return (
    <Alert
      type={preview.unknown.length > 0 || preview.segments > 1 ? 'warning' : 'info'}
      style={{ marginBottom: 16 }}
      title={t('settings.sms.previewTitle', { length: preview.length, segments: preview.segments })}
      description={
        <>
          <Typography.Text data-testid="sms-preview">{preview.text}</Typography.Text>
          {preview.unknown.length > 0 && (
            <div>{t('settings.sms.unknownVariables', { names: preview.unknown.join('、') })}</div>
          )}
        </>
      }
    />
  );
}

// An approved template: its code beside its approved text, then the preview.
function SmsTemplateFields({
  path,
  purpose,
  signName,
  positional,
  prefix = [],
}: {
  path: (string | number)[];
  purpose: SmsPurpose;
  signName: string | null;
  // Tencent Cloud fills variables by position: the form asks for their order.
  positional: boolean;
  prefix?: (string | number)[];
}) {
  const { t } = useTranslation('admin');
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name={[...path, 'code']} label={t('settings.sms.code')}>
            <Input placeholder="SMS_276390001" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name={[...path, 'text']}
            label={t('settings.sms.text')}
            extra={t('settings.sms.variables', {
              names: Object.keys(SMS_SAMPLES[purpose])
                .map((v) => `\${${v}}`)
                .join(' '),
            })}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        </Col>
      </Row>
      {positional && (
        <Form.Item name={[...path, 'params']} label={t('settings.sms.params')} extra={t('settings.sms.paramsHelp')}>
          <Select
            mode="multiple"
            options={Object.keys(SMS_SAMPLES[purpose]).map((v) => ({ value: v, label: `\${${v}}` }))}
          />
        </Form.Item>
      )}
      <SmsPreviewLine path={[...prefix, ...path]} purpose={purpose} signName={signName} />
    </>
  );
}

function SmsSection() {
  const { t } = useTranslation(['admin', 'common']);
  const status = useQuery({ queryKey: adminKeys.smsStatus, queryFn: smsApi.status });
  const signName = status.data?.signName ?? null;
  const positional = status.data?.provider === 'tencent';
  return (
    <>
      <Typography.Paragraph type="secondary">{t('settings.sms.help')}</Typography.Paragraph>
      {status.data && (
        <Alert
          type={status.data.provider === 'none' ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            status.data.provider === 'none'
              ? t('settings.sms.providerNone')
              : t('settings.sms.providerOn', {
                  provider: t(`settings.sms.providers.${status.data.provider}`),
                  signName: status.data.signName ?? '',
                })
          }
        />
      )}
      <Form.Item
        name="maxPerNumberPerDay"
        label={t('settings.sms.maxPerNumberPerDay')}
        extra={t('settings.sms.maxPerNumberPerDayHelp')}
      >
        <InputNumber {...whole} />
      </Form.Item>
      <Typography.Title level={5}>{t('settings.sms.greetings')}</Typography.Title>
      <Form.List name={['templates', 'greetings']}>
        {(rows, { add, remove }) => (
          <>
            {rows.map((row) => (
              <Card
                key={row.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={
                  <Form.Item name={[row.name, 'occasion']} noStyle>
                    <Select
                      style={{ minWidth: 140 }}
                      aria-label={t('settings.sms.occasion')}
                      options={OCCASIONS.map((o) => ({ value: o, label: t(`common:greetingOccasions.${o}`) }))}
                    />
                  </Form.Item>
                }
                extra={
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('settings.sms.remove')}
                    onClick={() => remove(row.name)}
                  />
                }
              >
                <SmsTemplateFields
                  path={[row.name]}
                  prefix={['templates', 'greetings']}
                  purpose="greeting"
                  signName={signName}
                  positional={positional}
                />
              </Card>
            ))}
            <Form.Item>
              <Button icon={<PlusOutlined />} onClick={() => add({ occasion: 'custom', code: '', text: '' })}>
                {t('settings.sms.addGreeting')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Typography.Title level={5}>{t('settings.sms.surveyInvitation')}</Typography.Title>
      <SmsTemplateFields
        path={['templates', 'surveyInvitation']}
        purpose="surveyInvitation"
        signName={signName}
        positional={positional}
      />
      <Typography.Title level={5}>{t('settings.sms.recoveryAlert')}</Typography.Title>
      <SmsTemplateFields
        path={['templates', 'recoveryAlert']}
        purpose="recoveryAlert"
        signName={signName}
        positional={positional}
      />
    </>
  );
}

// 企业微信: the corp's ids and secrets (write-only: a stored one shows as 已设置), and 立即同步.
function WecomSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation(['admin', 'common']);
  const label = (key: string) => t(`settings.wecom.${key}`);
  const sync = useMutation({ mutationFn: wecomApi.sync });
  const secret = (name: 'contactSecret' | 'agentSecret' | 'callbackToken' | 'encodingAesKey') => (
    <Form.Item name={name} label={label(name)} extra={label(`${name}Help`)}>
      <Input.Password
        autoComplete="new-password"
        placeholder={settings.wecom[`${name}Set`] ? label('secretSet') : label('secretUnset')}
      />
    </Form.Item>
  );
  return (
    <>
      <Typography.Paragraph type="secondary">{label('help')}</Typography.Paragraph>
      <Form.Item name="corpId" label={label('corpId')} extra={label('corpIdHelp')}>
        <Input placeholder="ww0123456789abcdef" />
      </Form.Item>
      {secret('contactSecret')}
      <Form.Item name="agentId" label={label('agentId')} extra={label('agentIdHelp')}>
        <InputNumber {...whole} />
      </Form.Item>
      {secret('agentSecret')}
      {secret('callbackToken')}
      {secret('encodingAesKey')}
      <Form.Item name="enabled" label={label('enabled')} extra={label('enabledHelp')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Space direction="vertical" style={{ marginBottom: 16 }}>
        <Button onClick={() => sync.mutate()} loading={sync.isPending} disabled={!settings.wecom.enabled}>
          {label('syncNow')}
        </Button>
        {sync.data && (
          <Alert
            type={sync.data.enabled ? 'success' : 'info'}
            showIcon
            title={
              sync.data.enabled
                ? t('settings.wecom.syncDone', {
                    butlers: sync.data.butlers,
                    contacts: sync.data.contacts,
                    matched: sync.data.matched,
                    alreadyBound: sync.data.alreadyBound,
                    unmatched: sync.data.unmatched.length,
                  })
                : label('syncOff')
            }
          />
        )}
        {sync.isError && <Alert type="error" showIcon title={errorText(sync.error)} />}
      </Space>
    </>
  );
}

function sectionFields(section: SettingsSection, t: (key: string) => string, settings: Settings): ReactNode {
  const label = (key: string) => t(`settings.${section}.${key}`);
  switch (section) {
    case 'followUps':
      return (
        <>
          <CadenceList />
          <Form.Item name="dueHour" label={label('dueHour')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="skipOverdueAfterDays" label={label('skipOverdueAfterDays')}>
            <InputNumber {...whole} />
          </Form.Item>
        </>
      );
    case 'surveys':
      return (
        <>
          <Form.Item name="afterFollowUp" label={label('afterFollowUp')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="afterCase" label={label('afterCase')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="afterContactKinds" label={label('afterContactKinds')} extra={label('afterContactKindsHelp')}>
            <Checkbox.Group
              options={CONTACT_KINDS.map((kind) => ({ value: kind, label: t(`settings.contactKinds.${kind}`) }))}
            />
          </Form.Item>
          <Form.Item name="cooldownDays" label={label('cooldownDays')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="delayMinutes" label={label('delayMinutes')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="expiryDays" label={label('expiryDays')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Typography.Paragraph type="secondary">{label('integrityHelp')}</Typography.Paragraph>
          <Form.Item name="addressChangeDays" label={label('addressChangeDays')} extra={label('addressChangeDaysHelp')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item
            name="earlyCompletionHours"
            label={label('earlyCompletionHours')}
            extra={label('earlyCompletionHoursHelp')}
          >
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item
            name="sessionLookbackDays"
            label={label('sessionLookbackDays')}
            extra={label('sessionLookbackDaysHelp')}
          >
            <InputNumber {...whole} />
          </Form.Item>
        </>
      );
    case 'touch':
      return (
        <>
          <Typography.Paragraph type="secondary">{label('help')}</Typography.Paragraph>
          {TOUCH_TIERS.map((tier) => (
            <Form.Item key={tier} name={['maxDaysByTier', tier]} label={t(`settings.touch.tiers.${tier}`)}>
              <InputNumber {...whole} />
            </Form.Item>
          ))}
        </>
      );
    case 'caps':
      return (
        <>
          <Form.Item name="greetingMinDays" label={label('greetingMinDays')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Typography.Paragraph type="secondary">{label('maxMessagesHelp')}</Typography.Paragraph>
          <Form.Item name={['maxMessagesPerDays', 'max']} label={label('maxMessages')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name={['maxMessagesPerDays', 'days']} label={label('maxMessagesDays')}>
            <InputNumber {...whole} />
          </Form.Item>
        </>
      );
    case 'channels':
      return (
        <>
          <Typography.Paragraph type="secondary">{label('help')}</Typography.Paragraph>
          <Form.Item name="order" label={label('order')}>
            <Select
              mode="multiple"
              options={CONTACT_CHANNELS.map((ch) => ({ value: ch, label: t(`common:channels.${ch}`) }))}
            />
          </Form.Item>
        </>
      );
    case 'churn':
      return (
        <>
          <Form.Item name="k" label={label('k')}>
            <InputNumber step={0.1} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="singlePurchaseDays" label={label('singlePurchaseDays')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="detractorDays" label={label('detractorDays')}>
            <InputNumber {...whole} />
          </Form.Item>
        </>
      );
    case 'festivals':
      return (
        <>
          <Form.Item name="enabled" label={label('enabled')}>
            <Checkbox.Group
              options={FESTIVAL_KEYS.map((key) => ({ value: key, label: t(`common:greetingOccasions.${key}`) }))}
            />
          </Form.Item>
          <Form.Item name="daysAhead" label={label('daysAhead')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="sendHour" label={label('sendHour')}>
            <InputNumber {...whole} />
          </Form.Item>
          <Form.Item name="autoConfirm" label={label('autoConfirm')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="birthdays" label={label('birthdays')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="digest" label={label('digest')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </>
      );
    case 'sms':
      return <SmsSection />;
    case 'wecom':
      return <WecomSection settings={settings} />;
    case 'sla':
      return (
        <>
          <Typography.Paragraph type="secondary">{label('help')}</Typography.Paragraph>
          {(['urgent', 'high', 'normal', 'low'] as const).map((priority) => (
            <Row key={priority} gutter={8}>
              <Col span={24}>
                <Typography.Text strong>{t(`settings.sla.priorities.${priority}`)}</Typography.Text>
              </Col>
              <Col xs={12}>
                <Form.Item name={['cases', priority, 'firstResponseHours']} label={label('firstResponseHours')}>
                  <InputNumber {...whole} suffix={label('hours')} />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item name={['cases', priority, 'resolutionHours']} label={label('resolutionHours')}>
                  <InputNumber {...whole} suffix={label('hours')} />
                </Form.Item>
              </Col>
            </Row>
          ))}
          <Form.Item name="recoveryHours" label={label('recoveryHours')} extra={label('recoveryHelp')}>
            <InputNumber {...whole} suffix={label('hours')} />
          </Form.Item>
          <Form.Item name="managerAfterHours" label={label('managerAfterHours')}>
            <InputNumber {...whole} suffix={label('hours')} />
          </Form.Item>
          <Form.Item name="adminAfterHours" label={label('adminAfterHours')}>
            <InputNumber {...whole} suffix={label('hours')} />
          </Form.Item>
        </>
      );
  }
}

export default function SettingsPage() {
  const { t } = useTranslation(['admin', 'common']);
  const screens = Grid.useBreakpoint();
  const settings = useQuery({ queryKey: adminKeys.settings, queryFn: settingsApi.get });
  if (settings.isPending) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (settings.isError)
    return (
      <Alert
        type="error"
        showIcon
        title={t('common:loadFailed')}
        description={errorText(settings.error)}
        action={<Button onClick={() => void settings.refetch()}>{t('common:retry')}</Button>}
      />
    );
  return (
    <Card title={t('settings.title')}>
      <Tabs
        tabPlacement={screens.md ? 'start' : 'top'}
        items={SETTINGS_SECTIONS.map((section) => ({
          key: section,
          label: t(`settings.sections.${section}`),
          children: (
            <SectionForm section={section} settings={settings.data}>
              {sectionFields(section, t, settings.data)}
            </SectionForm>
          ),
        }))}
      />
    </Card>
  );
}
