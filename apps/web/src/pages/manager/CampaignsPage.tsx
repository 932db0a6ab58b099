import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Progress,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  Audience,
  Campaign,
  CAMPAIGN_OCCASIONS,
  campaignKeys,
  CampaignPreview,
  campaignsApi,
  CampaignStatus,
  CreateCampaignBody,
  Festival,
  isLive,
  progressPercent,
} from '../../api/campaigns';
import { ApiError } from '../../api/client';
import { AROMAS, TIERS } from '../../api/types';
import { useSession } from '../../auth/session';
import { ButlerSelect } from '../../components/ButlerSelect';
import DateTimePicker from '../../components/DateTimePicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { apiErrorsToFields, errorText } from '../../components/formErrors';
import { dayjs, formatDateTime, readableTemplate, shanghaiDay, TZ } from '../../lib/format';
import { inQuietHours, shanghaiIso } from './time';

const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'blue',
  sending: 'processing',
  completed: 'success',
  completed_with_failures: 'orange',
  cancelled: 'warning',
};

// 节日问候: campaigns of the team; create one as a draft to see its audience, then confirm; watch it send.
export default function CampaignsPage() {
  const { t } = useTranslation('manager');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({
    queryKey: campaignKeys.list,
    queryFn: campaignsApi.list,
    // Statuses move while something sends.
    refetchInterval: (q) => (q.state.data?.items.some((c) => isLive(c.status)) ? 5000 : false),
  });
  const columns: TableColumnsType<Campaign> = [
    {
      title: t('campaigns.columns.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(c.id)}>
          {name}
        </Button>
      ),
    },
    {
      title: t('campaigns.columns.occasion'),
      dataIndex: 'occasion',
      width: 90,
      render: (o: string) => t(`common:greetingOccasions.${o}`, { defaultValue: o }),
    },
    { title: t('campaigns.columns.sendAt'), dataIndex: 'sendAt', width: 150, render: formatDateTime },
    {
      title: t('campaigns.columns.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: CampaignStatus) => <Tag color={STATUS_COLORS[s]}>{t(`campaigns.statuses.${s}`)}</Tag>,
    },
    {
      title: t('campaigns.columns.audience'),
      dataIndex: 'audienceCount',
      width: 80,
      align: 'right',
      render: (n: number | null) => n ?? '—',
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('campaigns.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('campaigns.create')}
        </Button>
      </Flex>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<Campaign>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 600 }}
        locale={{ emptyText: t('campaigns.empty') }}
      />
      {creating && (
        <CreateCampaign
          onClose={() => setCreating(false)}
          onConfirmed={(id) => {
            setCreating(false);
            setOpenId(id);
          }}
        />
      )}
      <CampaignDrawer id={openId} onClose={() => setOpenId(null)} />
    </Space>
  );
}

interface Values {
  name: string;
  occasion: CreateCampaignBody['occasion'];
  templateId: string;
  sendAt: Dayjs;
  scope: Audience['scope'];
  butlerId?: string;
  tiers?: Audience['tiers'];
  aromas?: Audience['aromas'];
  tags?: string[];
}

const STEP_FIELDS: string[][] = [
  ['name', 'occasion', 'templateId', 'sendAt'],
  ['scope', 'butlerId', 'tiers', 'aromas', 'tags'],
];

// The next date of each festival (this year's, or next year's once it has passed).
function useNextFestivals(): Map<string, Festival> {
  const year = Number(shanghaiDay().slice(0, 4));
  const today = shanghaiDay();
  const thisYear = useQuery({
    queryKey: campaignKeys.festivals(year),
    queryFn: () => campaignsApi.festivals(year),
    staleTime: Infinity,
  });
  const nextYear = useQuery({
    queryKey: campaignKeys.festivals(year + 1),
    queryFn: () => campaignsApi.festivals(year + 1),
    staleTime: Infinity,
  });
  const next = new Map<string, Festival>();
  for (const f of [...(thisYear.data?.items ?? []), ...(nextYear.data?.items ?? [])]) {
    if (f.date >= today && !next.has(f.key)) next.set(f.key, f);
  }
  return next;
}

function CreateCampaign({ onClose, onConfirmed }: { onClose(): void; onConfirmed(id: string): void }) {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Campaign | null>(null);
  // A night send (21:00–08:00) is confirmed with an explicit tick.
  const [quietConfirmed, setQuietConfirmed] = useState(false);
  const preview = useQuery({
    queryKey: campaignKeys.preview(draft?.id ?? ''),
    queryFn: () => campaignsApi.preview(draft!.id),
    enabled: !!draft,
  });
  const festivals = useNextFestivals();
  const isAdmin = user?.role === 'admin';
  // Managers and admins read templates; should the API refuse (a role change), the template id
  // can still be typed.
  const templates = useQuery({
    queryKey: campaignKeys.templates,
    queryFn: campaignsApi.templates,
    retry: false,
    staleTime: 60_000,
  });
  const templatesForbidden = templates.error instanceof ApiError && templates.error.status === 403;
  const scope = Form.useWatch('scope', form);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: campaignKeys.all });
  const createDraft = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateCampaignBody = {
        name: v.name,
        occasion: v.occasion,
        templateId: v.templateId.trim(),
        // 立即发送 took its time when clicked, before the audience step: a time that has passed means now.
        sendAt: shanghaiIso(v.sendAt.isBefore(dayjs()) ? dayjs() : v.sendAt),
        audience: {
          scope: v.scope,
          butlerId: v.scope === 'butler' ? v.butlerId : undefined,
          tiers: v.tiers?.length ? v.tiers : undefined,
          aromas: v.aromas?.length ? v.aromas : undefined,
          tags: v.tags?.length ? v.tags : undefined,
        },
        draft: true,
      };
      return campaignsApi.create(body);
    },
    onSuccess: (created) => {
      setDraft(created);
      setStep(2);
      void invalidate();
    },
    onError: (error) => {
      // The field "audience.tiers" belongs to the audience step's "tiers" field.
      const { fields, rest } = apiErrorsToFields(error, (f) => {
        const name = f.replace(/^audience\./, '');
        return STEP_FIELDS.flat().includes(name) ? [name] : null;
      });
      form.setFields(fields.map((p) => ({ name: p.name[0] as keyof Values, errors: p.errors })));
      if (fields.some((p) => STEP_FIELDS[0].includes(String(p.name[0])))) setStep(0);
      else if (fields.length) setStep(1);
      if (rest.length) void message.error(rest.join('；'));
    },
  });
  const setStatus = useMutation({
    mutationFn: (status: 'scheduled' | 'cancelled') =>
      campaignsApi.setStatus(draft!.id, status, status === 'scheduled' && preview.data?.quietHours ? true : undefined),
    onSuccess: (c) => {
      void invalidate();
      if (c.status === 'cancelled') {
        void message.info(t('campaigns.discarded'));
        onClose();
      } else {
        void message.success(t('campaigns.confirmed'));
        onConfirmed(c.id);
      }
    },
    onError: (error) => {
      void message.error(errorText(error));
      // The time crossed 21:00 while the step was open: show the warning and its tick.
      if (error instanceof ApiError && error.code === 'CAMPAIGN_QUIET_HOURS') void preview.refetch();
    },
  });

  const next = async () => {
    await form.validateFields();
    if (step === 0) setStep(1);
    else createDraft.mutate(form.getFieldsValue(true) as Values);
  };

  // A campaign's template is one written for its occasion, or a custom one (the API refuses others).
  const fits = (occasion: string | undefined) => (tpl: { occasion: string }) =>
    tpl.occasion === 'custom' || tpl.occasion === occasion;
  const pickOccasion = (key: string) => {
    const festival = festivals.get(key);
    if (festival && !form.getFieldValue('sendAt')) form.setFieldValue('sendAt', dayjs(`${festival.date}T09:00:00`));
    const fallback = templates.data?.items.find((tpl) => tpl.active && tpl.occasion === key && tpl.isDefault);
    const chosen = templates.data?.items.find((tpl) => tpl.id === form.getFieldValue('templateId'));
    if (fallback) form.setFieldValue('templateId', fallback.id);
    else if (chosen && !fits(key)(chosen)) form.setFieldValue('templateId', undefined);
  };

  const occasion = Form.useWatch('occasion', form) as string | undefined;
  const sendAt = Form.useWatch('sendAt', form) as Dayjs | undefined;
  const templateOptions = (templates.data?.items ?? [])
    .filter((tpl) => tpl.active && fits(occasion)(tpl))
    .map((tpl) => ({
      value: tpl.id,
      label: `${tpl.name}（${t(`common:greetingOccasions.${tpl.occasion}`, { defaultValue: tpl.occasion })}）`,
    }));

  return (
    <Modal
      open
      width={720}
      title={t('campaigns.create')}
      onCancel={onClose}
      footer={
        step < 2 ? (
          <Space>
            {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('campaigns.prev')}</Button>}
            <Button type="primary" loading={createDraft.isPending} onClick={() => void next().catch(() => undefined)}>
              {step === 0 ? t('campaigns.next') : t('campaigns.saveDraft')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button
              loading={setStatus.isPending && setStatus.variables === 'cancelled'}
              onClick={() => setStatus.mutate('cancelled')}
            >
              {t('campaigns.discard')}
            </Button>
            <Button
              type="primary"
              disabled={!preview.data || (preview.data.quietHours && !quietConfirmed)}
              loading={setStatus.isPending && setStatus.variables === 'scheduled'}
              onClick={() => setStatus.mutate('scheduled')}
            >
              {t('campaigns.confirm')}
            </Button>
          </Space>
        )
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('campaigns.steps.basics') },
          { title: t('campaigns.steps.audience') },
          { title: t('campaigns.steps.preview') },
        ]}
      />
      <Form form={form} layout="vertical" initialValues={{ scope: isAdmin ? 'all' : 'team' }}>
        {step === 0 && (
          <>
            <Form.Item
              name="name"
              label={t('campaigns.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('campaigns.required.name') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="occasion"
              label={t('campaigns.fields.occasion')}
              extra={t('campaigns.birthdaysAutomatic')}
              rules={[{ required: true, message: t('campaigns.required.occasion') }]}
            >
              <Select
                onChange={pickOccasion}
                options={CAMPAIGN_OCCASIONS.map((o) => {
                  const f = festivals.get(o);
                  const name = t(`common:greetingOccasions.${o}`);
                  return { value: o, label: f ? t('campaigns.occasionOn', { name, date: f.date }) : name };
                })}
              />
            </Form.Item>
            {templatesForbidden ? (
              <>
                <Alert type="info" showIcon title={t('campaigns.templatesForbidden')} style={{ marginBottom: 12 }} />
                <Form.Item
                  name="templateId"
                  label={t('campaigns.fields.templateId')}
                  rules={[{ required: true, whitespace: true, message: t('campaigns.required.template') }]}
                >
                  <Input placeholder="00000000-0000-0000-0000-000000000000" />
                </Form.Item>
              </>
            ) : (
              <Form.Item
                name="templateId"
                label={t('campaigns.fields.template')}
                rules={[{ required: true, message: t('campaigns.required.template') }]}
              >
                <Select
                  loading={templates.isPending}
                  options={templateOptions}
                  showSearch={{ optionFilterProp: 'label' }}
                />
              </Form.Item>
            )}
            <Form.Item
              name="sendAt"
              label={t('campaigns.fields.sendAt')}
              rules={[{ required: true, message: t('campaigns.required.sendAt') }]}
              extra={
                sendAt && inQuietHours(sendAt) ? (
                  <Typography.Text type="warning" data-testid="quiet-hint">
                    {t('campaigns.quietHint')}
                  </Typography.Text>
                ) : undefined
              }
            >
              <DateTimePicker future presets={[{ label: t('campaigns.sendNow'), value: () => dayjs() }]} />
            </Form.Item>
          </>
        )}
        {step === 1 && (
          <>
            <Form.Item name="scope" label={t('campaigns.fields.scope')}>
              <Radio.Group
                optionType="button"
                options={(isAdmin ? (['all', 'butler'] as const) : (['team', 'butler'] as const)).map((s) => ({
                  value: s,
                  label: t(`campaigns.scopes.${s}`),
                }))}
              />
            </Form.Item>
            {scope === 'butler' && (
              <Form.Item
                name="butlerId"
                label={t('campaigns.fields.butler')}
                rules={[{ required: true, message: t('campaigns.required.butler') }]}
              >
                <ButlerSelect />
              </Form.Item>
            )}
            <Form.Item name="tiers" label={t('campaigns.fields.tiers')}>
              <Select
                mode="multiple"
                allowClear
                options={TIERS.map((tier) => ({ value: tier, label: tc(`tiers.${tier}`) }))}
              />
            </Form.Item>
            <Form.Item name="aromas" label={t('campaigns.fields.aromas')}>
              <Select
                mode="multiple"
                allowClear
                options={AROMAS.map((a) => ({ value: a, label: tc(`aromas.${a}`) }))}
              />
            </Form.Item>
            <Form.Item name="tags" label={t('campaigns.fields.tags')}>
              <Select
                mode="tags"
                allowClear
                placeholder={t('campaigns.tagsPlaceholder')}
                tokenSeparators={[',', '，']}
              />
            </Form.Item>
          </>
        )}
      </Form>
      {step === 2 && draft && (
        <ConfirmStep
          preview={preview.data}
          loading={preview.isPending}
          error={preview.isError ? preview.error : null}
          onRetry={() => void preview.refetch()}
          quietConfirmed={quietConfirmed}
          onQuietConfirmed={setQuietConfirmed}
        />
      )}
    </Modal>
  );
}

// The confirmation step: whom the draft reaches (and whom it skips, and why), the greeting as three
// of its clients will read it, and a night send's explicit tick.
function ConfirmStep({
  preview,
  loading,
  error,
  onRetry,
  quietConfirmed,
  onQuietConfirmed,
}: {
  preview: CampaignPreview | undefined;
  loading: boolean;
  error: unknown;
  onRetry(): void;
  quietConfirmed: boolean;
  onQuietConfirmed(value: boolean): void;
}) {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  if (error) return <ErrorAlert error={error} title={t('campaigns.previewFailed')} onRetry={onRetry} />;
  if (loading || !preview) return <Skeleton active paragraph={{ rows: 6 }} />;
  const { counts, samples } = preview;
  const skipped = Object.values(counts.skipped).reduce((sum, n) => sum + n, 0);
  const unit = t('campaigns.audienceUnit');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="campaign-confirm">
      {preview.quietHours && (
        <Alert
          type="warning"
          showIcon
          data-testid="quiet-warning"
          title={t('campaigns.quietWarning')}
          description={
            <Space orientation="vertical" size={4}>
              {t('campaigns.quietWarningText', { time: dayjs(preview.sendsAt).tz(TZ).format('HH:mm') })}
              <Checkbox checked={quietConfirmed} onChange={(e) => onQuietConfirmed(e.target.checked)}>
                {t('campaigns.quietConfirm')}
              </Checkbox>
            </Space>
          }
        />
      )}
      <Typography.Text type="secondary">
        {t('campaigns.audienceHint', { time: formatDateTime(preview.sendsAt) })}
      </Typography.Text>
      <Row gutter={[12, 12]} data-testid="audience-count">
        <Col xs={8}>
          <Statistic title={t('campaigns.reach.audience')} value={counts.audience} suffix={unit} />
        </Col>
        <Col xs={8}>
          <Statistic
            title={t('campaigns.reach.reachable')}
            value={counts.reachable}
            suffix={unit}
            styles={{ content: { color: '#389e0d' } }}
            data-testid="reachable-count"
          />
        </Col>
        <Col xs={8}>
          <Statistic title={t('campaigns.reach.skipped')} value={skipped} suffix={unit} data-testid="skipped-count" />
        </Col>
      </Row>
      {counts.reachable > 0 && (
        <div data-testid="reachable-by">
          <Typography.Text type="secondary">{t('campaigns.reach.reachableBy')}：</Typography.Text>
          {Object.entries(counts.reachableBy).map(([channel, n]) => (
            <Tag key={channel} color="green" style={{ marginBlock: 2 }}>
              {tc(`channels.${channel}`, { defaultValue: channel })} {n} {unit}
            </Tag>
          ))}
        </div>
      )}
      <div data-testid="skipped-by">
        <Typography.Text type="secondary">{t('campaigns.reach.skippedBy')}：</Typography.Text>
        {skipped ? (
          Object.entries(counts.skipped).map(([reason, n]) => (
            <Tag key={reason} style={{ marginBlock: 2 }}>
              {t(`campaigns.skipReasons.${reason}`, { defaultValue: reason })} {n} {unit}
            </Tag>
          ))
        ) : (
          <Typography.Text>{t('campaigns.reach.none')}</Typography.Text>
        )}
      </div>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('campaigns.samplesTitle', { count: samples.length })}
      </Typography.Title>
      {samples.length === 0 ? (
        <Alert type="warning" showIcon title={t('campaigns.samplesEmpty')} />
      ) : (
        <Tabs
          size="small"
          data-testid="campaign-samples"
          items={samples.map((sample) => ({
            key: sample.customerId,
            label: sample.customerName,
            children: (
              <Card size="small" data-testid="campaign-sample">
                <Typography.Paragraph strong style={{ marginBottom: 8 }}>
                  {t('campaigns.sampleSubject', { subject: sample.subject })}
                </Typography.Paragraph>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, overflowWrap: 'anywhere' }}>
                  {sample.text}
                </Typography.Paragraph>
              </Card>
            ),
          }))}
        />
      )}
    </Space>
  );
}

function CampaignDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t } = useTranslation('manager');
  const screens = Grid.useBreakpoint();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: campaignKeys.detail(id ?? ''),
    queryFn: () => campaignsApi.get(id!),
    enabled: !!id,
    // Live progress: every 2 s while it is scheduled or sending.
    refetchInterval: (q) => (isLive(q.state.data?.status) ? 2000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => campaignsApi.setStatus(id!, 'cancelled'),
    onSuccess: () => void message.info(t('campaigns.cancelled')),
    onError: (error) => void message.error(errorText(error)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: campaignKeys.all }),
  });
  const retry = useMutation({
    mutationFn: () => campaignsApi.retryFailed(id!),
    onSuccess: (r) => void message.success(t('campaigns.retried', { count: r.retried })),
    onError: (error) => void message.error(errorText(error)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: campaignKeys.all }),
  });
  const c = detail.data;
  // How many will go again, asked first; the modal waits for the answer (an error is said by onError).
  const confirmRetry = (count: number): void => {
    void modal.confirm({
      title: t('campaigns.retryConfirmTitle'),
      content: t('campaigns.retryConfirm', { count }),
      okText: t('campaigns.retryOk'),
      onOk: () => retry.mutateAsync().catch(() => undefined),
    });
  };
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={c?.name ?? t('campaigns.detail')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
    >
      {!c ? (
        <Empty />
      ) : (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'status',
                label: t('campaigns.columns.status'),
                children: <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.statuses.${c.status}`)}</Tag>,
              },
              {
                key: 'occasion',
                label: t('campaigns.columns.occasion'),
                children: t(`common:greetingOccasions.${c.occasion}`, { defaultValue: c.occasion }),
              },
              { key: 'sendAt', label: t('campaigns.columns.sendAt'), children: formatDateTime(c.sendAt) },
              {
                key: 'subject',
                label: t('campaigns.subject'),
                children: readableTemplate(
                  c.subject,
                  t('common:placeholders', { returnObjects: true }) as Record<string, string>,
                ),
              },
              { key: 'audience', label: t('campaigns.audienceCount'), children: c.audienceCount ?? '—' },
              ...(c.completedAt
                ? [{ key: 'completedAt', label: t('campaigns.completedAt'), children: formatDateTime(c.completedAt) }]
                : []),
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('campaigns.progress')}</Typography.Title>
            {c.progress || c.status === 'completed' || c.status === 'completed_with_failures' ? (
              <Progress
                percent={progressPercent(c.progress, c.status)}
                status={c.status === 'sending' ? 'active' : c.status === 'cancelled' ? 'exception' : undefined}
                aria-label={t('campaigns.progress')}
                format={(percent) => `${percent ?? 0}%`}
              />
            ) : (
              <Typography.Text type="secondary">
                {c.status === 'cancelled' ? t('campaigns.statuses.cancelled') : t('campaigns.notPlanned')}
              </Typography.Text>
            )}
          </div>
          {c.progress?.outage && (
            <Alert
              type="warning"
              showIcon
              title={t(`campaigns.outage.${c.progress.outage.channel}`, {
                since: formatDateTime(c.progress.outage.since),
              })}
              description={t('campaigns.outage.hint')}
            />
          )}
          {c.progress && (
            <Row gutter={[12, 12]}>
              {(['audience', 'sent', 'pending', 'failed', 'skipped'] as const).map((k) => (
                <Col key={k} xs={8} sm={8} md={4} style={{ minWidth: 90 }}>
                  <Statistic title={t(`campaigns.counts.${k}`)} value={c.progress![k]} />
                </Col>
              ))}
            </Row>
          )}
          {c.progress && (
            <Descriptions
              title={t('campaigns.skippedTitle')}
              column={1}
              size="small"
              items={
                Object.keys(c.progress.skippedBy).length
                  ? Object.entries(c.progress.skippedBy).map(([reason, n]) => ({
                      key: reason,
                      label: t(`campaigns.skipReasons.${reason}`, { defaultValue: reason }),
                      children: n,
                    }))
                  : [{ key: 'none', label: t('campaigns.counts.skipped'), children: t('campaigns.noSkipped') }]
              }
            />
          )}
          {c.failures.length > 0 && (
            <Descriptions
              title={t('campaigns.failedTitle')}
              column={1}
              size="small"
              items={c.failures.map((f) => ({
                key: f.reason,
                label: t(`campaigns.failureReasons.${f.reason}`),
                children: f.count,
              }))}
            />
          )}
          {c.status === 'completed_with_failures' &&
            (c.progress && c.progress.retryable > 0 ? (
              <Button type="primary" loading={retry.isPending} onClick={() => confirmRetry(c.progress!.retryable)}>
                {t('campaigns.retryFailed')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('campaigns.retryUsed')}</Typography.Text>
            ))}
          {(c.status === 'draft' || isLive(c.status)) && (
            <Button danger loading={cancel.isPending} onClick={() => cancel.mutate()}>
              {t('campaigns.cancel')}
            </Button>
          )}
        </Space>
      )}
    </Drawer>
  );
}
