import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Customer } from '../../api/customers';
import { ButlerSelect, useButlers } from '../../components/ButlerSelect';
import { CustomerSelect } from '../../components/CustomerSelect';
import DateTimePicker from '../../components/DateTimePicker';
import { ExportMenu } from '../../components/ExportMenu';
import { applyApiErrors, errorText } from '../../components/formErrors';
import { formatDate, formatDateTime } from '../../lib/format';
import {
  assignCustomers,
  CreateFollowUpBody,
  customersApi,
  DueFilter,
  eachLimited,
  FollowUp,
  followUpsApi,
  Outcome,
} from './assignApi';
import { shanghaiIso } from './time';

function useOutcomeMessage() {
  const { t } = useTranslation('manager');
  const { message } = App.useApp();
  return (o: Outcome) =>
    o.failed
      ? void message.warning(t('assign.partial', { ok: o.ok, failed: o.failed, reason: o.reason ?? '' }))
      : void message.success(t('assign.done', { ok: o.ok }));
}

// 回访分派: the team's open follow-ups (reassign, reschedule, create) and client reassignment.
export default function AssignPage() {
  const { t } = useTranslation('manager');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('assign.title')}
        </Typography.Title>
        <ExportMenu kind="follow-ups" />
      </Flex>
      <Tabs
        items={[
          { key: 'follow-ups', label: t('assign.tabFollowUps'), children: <FollowUpsTab /> },
          { key: 'clients', label: t('assign.tabClients'), children: <ClientsTab /> },
        ]}
      />
    </Space>
  );
}

function FollowUpsTab() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const report = useOutcomeMessage();
  const butlers = useButlers();
  const nameOf = (id: string) => butlers.data?.find((b) => b.id === id)?.name ?? '—';
  const [butlerId, setButlerId] = useState<string>();
  const [due, setDue] = useState<DueFilter>();
  const [selected, setSelected] = useState<string[]>([]);
  const [target, setTarget] = useState<string>();
  const [when, setWhen] = useState<Dayjs | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['follow-ups', 'team', butlerId ?? null, due ?? null],
    queryFn: ({ pageParam }) => followUpsApi.list({ butlerId, due, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const { modal } = App.useApp();
  const bulk = useMutation({
    mutationFn: (change: { butlerId?: string; handOverClient?: boolean; dueAt?: string }) =>
      eachLimited(selected, (id) => followUpsApi.update(id, change)),
    onSuccess: (outcome) => {
      report(outcome);
      setSelected([]);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['follow-ups'] }),
  });
  // A follow-up goes only to its client's butler: another butler takes the clients too, once the
  // manager has confirmed it (one dialog for the whole selection).
  const selectedRows = rows.filter((r) => selected.includes(r.id));
  const clientCount = new Set(selectedRows.map((r) => r.customerId)).size;
  const reassign = (to: string): void =>
    void modal.confirm({
      title: t('assign.handOverTitle'),
      content: t('assign.handOverFollowUps', { count: clientCount, name: nameOf(to) }),
      okText: t('assign.handOverOk'),
      onOk: () => bulk.mutateAsync({ butlerId: to, handOverClient: true }),
    });
  const columns: TableColumnsType<FollowUp> = [
    {
      title: t('assign.columns.client'),
      dataIndex: 'customerName',
      width: 110,
      render: (name: string | null, r) => <Link to={`/clients/${r.customerId}`}>{name ?? '—'}</Link>,
    },
    { title: t('assign.columns.title'), dataIndex: 'title' },
    {
      title: t('assign.columns.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: FollowUp['kind']) => <Tag>{t(`assign.kinds.${k}`)}</Tag>,
    },
    { title: t('assign.columns.butler'), dataIndex: 'butlerId', width: 100, render: nameOf },
    {
      title: t('assign.columns.dueAt'),
      dataIndex: 'dueAt',
      width: 170,
      render: (v: string, r) => (
        <Space size={4}>
          {formatDateTime(v)}
          {r.overdue && <Tag color="red">{t('assign.overdue')}</Tag>}
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap={8} justify="space-between">
        <Space wrap>
          <ButlerSelect
            allowClear
            aria-label={t('assign.butler')}
            placeholder={t('assign.butler')}
            value={butlerId}
            onChange={setButlerId}
            style={{ minWidth: 160 }}
          />
          <Select<DueFilter>
            allowClear
            aria-label={t('assign.due')}
            placeholder={t('assign.due')}
            value={due}
            onChange={setDue}
            style={{ minWidth: 130 }}
            options={(['today', 'overdue', 'upcoming'] as const).map((d) => ({
              value: d,
              label: t(`assign.dueOptions.${d}`),
            }))}
          />
        </Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('assign.create')}
        </Button>
      </Flex>
      {selected.length > 0 && (
        <Card size="small">
          <Flex wrap gap={8} align="center">
            <Typography.Text strong>{t('assign.selected', { count: selected.length })}</Typography.Text>
            <Space.Compact>
              <ButlerSelect
                aria-label={t('assign.reassignTo')}
                placeholder={t('assign.reassignTo')}
                exclude={[...new Set(selectedRows.map((r) => r.butlerId))]}
                value={target}
                onChange={setTarget}
                style={{ minWidth: 140 }}
              />
              <Button disabled={!target} loading={bulk.isPending} onClick={() => target && reassign(target)}>
                {t('assign.reassign')}
              </Button>
            </Space.Compact>
            <Space.Compact>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                aria-label={t('assign.reschedule')}
                placeholder={t('assign.reschedule')}
                value={when}
                onChange={setWhen}
              />
              <Button
                disabled={!when}
                loading={bulk.isPending}
                onClick={() => when && bulk.mutate({ dueAt: shanghaiIso(when) })}
              >
                {t('assign.rescheduleDo')}
              </Button>
            </Space.Compact>
          </Flex>
        </Card>
      )}
      <Table<FollowUp>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: t('assign.empty') }}
      />
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {tc('more')}
        </Button>
      )}
      <CreateFollowUpModal open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

type FollowUpValues = Omit<CreateFollowUpBody, 'dueAt'> & { dueAt: Dayjs };

// The follow-up goes to the client's butler (picked with the client); choosing another butler hands
// the client over too, after one confirmation.
function CreateFollowUpModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation('manager');
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const butlers = useButlers();
  const [form] = Form.useForm<FollowUpValues>();
  const [client, setClient] = useState<Customer | null>(null);
  const create = useMutation({
    mutationFn: (v: FollowUpValues & { handOverClient?: boolean }) =>
      followUpsApi.create({
        ...v,
        dueAt: shanghaiIso(v.dueAt),
        title: v.title || undefined,
        note: v.note || undefined,
      }),
    onSuccess: () => {
      void message.success(t('assign.created'));
      form.resetFields();
      onClose();
      return queryClient.invalidateQueries({ queryKey: ['follow-ups'] });
    },
    onError: (error) => {
      const rest = applyApiErrors(form, error, ['customerId', 'butlerId', 'dueAt', 'kind', 'title', 'note']);
      if (rest.length) void message.error(rest.join('; '));
    },
  });
  return (
    <Modal
      open={open}
      title={t('assign.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'manual' }}
        onFinish={(v) => {
          if (!client || v.butlerId === client.butlerId) return create.mutate(v);
          modal.confirm({
            title: t('assign.handOverTitle'),
            content: t('assign.handOverClient', {
              client: client.name,
              name: butlers.data?.find((b) => b.id === v.butlerId)?.name ?? '',
            }),
            okText: t('assign.handOverOk'),
            onOk: () => create.mutateAsync({ ...v, handOverClient: true }),
          });
        }}
      >
        <Form.Item
          name="customerId"
          label={t('assign.fields.customer')}
          rules={[{ required: true, message: t('assign.required.customer') }]}
        >
          <CustomerSelect
            onPicked={(c) => {
              setClient(c ?? null);
              if (c) form.setFieldValue('butlerId', c.butlerId);
            }}
          />
        </Form.Item>
        <Form.Item
          name="butlerId"
          label={t('assign.fields.butler')}
          rules={[{ required: true, message: t('assign.required.butler') }]}
        >
          <ButlerSelect />
        </Form.Item>
        <Form.Item
          name="dueAt"
          label={t('assign.fields.dueAt')}
          rules={[{ required: true, message: t('assign.required.dueAt') }]}
        >
          <DateTimePicker />
        </Form.Item>
        <Form.Item name="kind" label={t('assign.fields.kind')}>
          <Select
            options={(['manual', 'churn_risk'] as const).map((k) => ({ value: k, label: t(`assign.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('assign.fields.title')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="note" label={t('assign.fields.note')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ClientsTab() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const butlers = useButlers();
  const nameOf = (id: string | undefined) => butlers.data?.find((b) => b.id === id)?.name ?? '—';
  const [from, setFrom] = useState<string>();
  const [q, setQ] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [target, setTarget] = useState<string>();
  const list = useInfiniteQuery({
    queryKey: ['customers', 'assign', from ?? null, q ?? null],
    queryFn: ({ pageParam }) => customersApi.list({ butlerId: from, q, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const { modal } = App.useApp();
  const move = useMutation({
    mutationFn: (v: { ids: string[]; butlerId: string }) => assignCustomers(v.ids, v.butlerId),
    onSuccess: (outcome, v) => {
      if (outcome.failed)
        void message.warning(
          t('assign.partial', { ok: outcome.ok, failed: outcome.failed, reason: outcome.reason ?? '' }),
        );
      else void message.success(t('assign.moved', { count: outcome.ok, name: nameOf(v.butlerId) }));
      setSelected([]);
    },
    onError: (error) => void message.error(errorText(error)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['customers'] }),
  });
  const columns: TableColumnsType<Customer> = [
    {
      title: t('assign.columns.client'),
      dataIndex: 'name',
      width: 110,
      render: (name: string, r) => <Link to={`/clients/${r.id}`}>{name}</Link>,
    },
    { title: t('assign.columns.mobile'), dataIndex: 'mobile', width: 130 },
    {
      title: t('assign.columns.tier'),
      dataIndex: 'tier',
      width: 80,
      render: (tier: string) => tc(`tiers.${tier}`, { defaultValue: tier }),
    },
    { title: t('assign.columns.butler'), dataIndex: 'butlerId', width: 100, render: nameOf },
    {
      title: t('assign.columns.lastPurchase'),
      dataIndex: 'lastPurchaseAt',
      width: 120,
      render: (v: string | null) => formatDate(v),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap={8}>
        <ButlerSelect
          allowClear
          aria-label={t('assign.fromButler')}
          placeholder={t('assign.fromButler')}
          value={from}
          onChange={(v) => {
            setFrom(v);
            setSelected([]);
          }}
          style={{ minWidth: 160 }}
        />
        <Input.Search
          allowClear
          aria-label={t('assign.search')}
          placeholder={t('assign.search')}
          onSearch={(v) => setQ(v.trim() || undefined)}
          style={{ maxWidth: 280 }}
        />
      </Flex>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Typography.Text strong>{t('assign.selected', { count: selected.length })}</Typography.Text>
          <Space.Compact>
            <ButlerSelect
              aria-label={t('assign.moveTo')}
              placeholder={t('assign.moveTo')}
              // Never the butler the clients are with.
              exclude={[
                ...new Set([
                  ...(from ? [from] : []),
                  ...rows.filter((r) => selected.includes(r.id)).map((r) => r.butlerId),
                ]),
              ]}
              value={target}
              onChange={setTarget}
              style={{ minWidth: 140 }}
            />
            <Button
              type="primary"
              disabled={!target || selected.length === 0}
              loading={move.isPending}
              onClick={() =>
                target &&
                void modal.confirm({
                  title: t('assign.moveConfirmTitle'),
                  content: t('assign.moveConfirm', { count: selected.length, name: nameOf(target) }),
                  okText: t('assign.moveOk'),
                  onOk: () => move.mutateAsync({ ids: selected, butlerId: target }),
                })
              }
            >
              {t('assign.move')}
            </Button>
          </Space.Compact>
        </Flex>
      </Card>
      <Table<Customer>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 600 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: t('assign.noClients') }}
      />
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {tc('more')}
        </Button>
      )}
    </Space>
  );
}
