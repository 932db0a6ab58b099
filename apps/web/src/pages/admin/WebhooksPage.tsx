import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  CreateWebhookBody,
  DeliveriesQuery,
  Webhook,
  WEBHOOK_EVENTS,
  WebhookDelivery,
  webhookKeys,
  webhooksApi,
  WebhookWithSecret,
} from '../../api/exports';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyApiErrors, errorText } from '../../components/formErrors';
import { formatDateTime } from '../../lib/format';

const STATUS_COLOR: Record<WebhookDelivery['status'], string> = {
  pending: 'blue',
  sending: 'processing',
  sent: 'green',
  failed: 'red',
  skipped: 'default',
};

// Webhook: where events are pushed (admins), each delivery signed, and how each delivery went.
export default function WebhooksPage() {
  const { t } = useTranslation('admin');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('webhooks.title')}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        title={t('webhooks.intro')}
        description={<Typography.Text type="secondary">{t('webhooks.signature')}</Typography.Text>}
      />
      <Endpoints />
      <Deliveries />
    </Space>
  );
}

function Endpoints() {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: webhookKeys.all, queryFn: webhooksApi.list });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });
  const update = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => webhooksApi.update(id, { active }),
    onSuccess: () => void refresh(),
    onError: (error) => message.error(errorText(error)),
  });
  const rotate = useMutation({
    mutationFn: (id: string) => webhooksApi.rotate(id),
    onSuccess: (made) => setSecret(made),
    onError: (error) => message.error(errorText(error)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => webhooksApi.remove(id),
    onSuccess: () => void refresh(),
    onError: (error) => message.error(errorText(error)),
  });
  const columns: TableColumnsType<Webhook> = [
    {
      title: t('webhooks.url'),
      dataIndex: 'url',
      render: (url: string, w) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text code style={{ wordBreak: 'break-all' }}>
            {url}
          </Typography.Text>
          {w.description && <Typography.Text type="secondary">{w.description}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('webhooks.events'),
      dataIndex: 'events',
      render: (events: Webhook['events']) => (
        <Space size={[4, 4]} wrap>
          {events.map((e) => (
            <Tag key={e}>{t(`webhooks.eventNames.${e}`)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('webhooks.active'),
      dataIndex: 'active',
      width: 90,
      render: (active: boolean, w) => (
        <Switch
          checked={active}
          aria-label={`${t('webhooks.active')} ${w.url}`}
          loading={update.isPending && update.variables?.id === w.id}
          onChange={(checked) => update.mutate({ id: w.id, active: checked })}
        />
      ),
    },
    {
      key: 'actions',
      width: 170,
      render: (_, w) => (
        <Space size={4} wrap>
          <Popconfirm title={t('webhooks.rotateConfirm')} onConfirm={() => rotate.mutate(w.id)}>
            <Button size="small">{t('webhooks.rotate')}</Button>
          </Popconfirm>
          <Popconfirm title={t('webhooks.removeConfirm')} onConfirm={() => remove.mutate(w.id)}>
            <Button size="small" danger>
              {t('webhooks.remove')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  return (
    <Card
      title={t('webhooks.endpoints')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('webhooks.add')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorAlert title={t('common:loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table<Webhook>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: t('webhooks.empty') }}
        />
      )}
      <AddModal
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(made) => {
          setAdding(false);
          setSecret(made);
          void refresh();
        }}
      />
      <Modal
        open={secret !== null}
        title={t('webhooks.secretTitle')}
        closable={false}
        maskClosable={false}
        // Out of the page once closed: the secret is never on screen again.
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setSecret(null)}>
            {t('webhooks.secretDone')}
          </Button>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('webhooks.secretHint')} />
          <Typography.Text code copyable style={{ wordBreak: 'break-all' }} data-testid="webhook-secret">
            {secret?.secret}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
            {secret?.url}
          </Typography.Text>
        </Space>
      </Modal>
    </Card>
  );
}

function AddModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (made: WebhookWithSecret) => void;
}) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<CreateWebhookBody>();
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateWebhookBody) => webhooksApi.create(body),
    onSuccess: (made) => {
      form.resetFields();
      setProblem(null);
      onCreated(made);
    },
    onError: (error) => {
      const rest = applyApiErrors(form, error, ['url', 'description', 'events']);
      setProblem(rest.length > 0 || !('fields' in (error as object)) ? errorText(error) : null);
    },
  });
  return (
    <Modal
      open={open}
      title={t('webhooks.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<CreateWebhookBody>
        form={form}
        layout="vertical"
        initialValues={{ events: [...WEBHOOK_EVENTS] }}
        onFinish={(values) => create.mutate({ ...values, description: values.description?.trim() || undefined })}
      >
        <Form.Item name="url" label={t('webhooks.url')} rules={[{ required: true, message: t('webhooks.url') }]}>
          <Input placeholder={t('webhooks.urlPlaceholder')} inputMode="url" />
        </Form.Item>
        <Form.Item name="description" label={t('webhooks.description')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="events" label={t('webhooks.events')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: t(`webhooks.eventNames.${e}`) }))}
          />
        </Form.Item>
        {problem && <Alert type="error" showIcon title={problem} />}
      </Form>
    </Modal>
  );
}

function Deliveries() {
  const { t } = useTranslation(['admin', 'common']);
  const endpoints = useQuery({ queryKey: webhookKeys.all, queryFn: webhooksApi.list });
  const [filter, setFilter] = useState<DeliveriesQuery>({});
  const list = useInfiniteQuery({
    queryKey: webhookKeys.deliveries(filter),
    queryFn: ({ pageParam }) => webhooksApi.deliveries({ ...filter, limit: 50, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: TableColumnsType<WebhookDelivery> = [
    { title: t('webhooks.time'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('webhooks.event'),
      dataIndex: 'event',
      width: 170,
      render: (e: WebhookDelivery['event']) => t(`webhooks.eventNames.${e}`),
    },
    {
      title: t('webhooks.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: WebhookDelivery['status']) => <Tag color={STATUS_COLOR[s]}>{t(`webhooks.statuses.${s}`)}</Tag>,
    },
    { title: t('webhooks.attempts'), dataIndex: 'attempts', width: 80 },
    {
      title: t('webhooks.responseCode'),
      dataIndex: 'responseCode',
      width: 80,
      render: (code: number | null) => code ?? '—',
    },
    {
      title: t('webhooks.endpoint'),
      dataIndex: 'url',
      render: (url: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{url}</Typography.Text>,
    },
    {
      title: t('webhooks.lastError'),
      dataIndex: 'lastError',
      render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—'),
    },
  ];
  return (
    <Card
      title={t('webhooks.deliveries')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('webhooks.refresh')}>
          {t('webhooks.refresh')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Flex wrap gap={8}>
          <Select
            aria-label={t('webhooks.endpoint')}
            style={{ minWidth: 220 }}
            allowClear
            placeholder={t('webhooks.allEndpoints')}
            value={filter.endpointId}
            onChange={(endpointId?: string) => setFilter((f) => ({ ...f, endpointId }))}
            options={(endpoints.data?.items ?? []).map((e) => ({ value: e.id, label: e.description || e.url }))}
          />
          <Select
            aria-label={t('webhooks.status')}
            style={{ minWidth: 140 }}
            allowClear
            placeholder={t('webhooks.allStatuses')}
            value={filter.status}
            onChange={(status?: DeliveriesQuery['status']) => setFilter((f) => ({ ...f, status }))}
            options={(['sent', 'failed', 'pending', 'sending', 'skipped'] as const).map((s) => ({
              value: s,
              label: t(`webhooks.statuses.${s}`),
            }))}
          />
        </Flex>
        {list.isError ? (
          <ErrorAlert title={t('common:loadFailed')} error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <Table<WebhookDelivery>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: t('webhooks.noDeliveries') }}
          />
        )}
        {list.hasNextPage && (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('webhooks.loadMore')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
