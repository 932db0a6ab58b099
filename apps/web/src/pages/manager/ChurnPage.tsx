import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { http } from '../../api/client';
import { followUpsApi } from '../../api/follow-ups';
import { ChurnItem, reportKeys, reportsApi } from '../../api/reports';
import type { Schema } from '../../api/types';
import { ButlerSelect } from '../../components/ButlerSelect';
import DateTimePicker from '../../components/DateTimePicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText, showApiErrors } from '../../components/formErrors';
import { dayjs, formatDate, formatFen, TZ } from '../../lib/format';
import { shanghaiIso } from './time';

const TIER_COLORS: Record<string, string> = { regular: 'default', silver: 'cyan', gold: 'gold', black: 'purple' };

// 流失风险: the team's at-risk clients with the reasons, newest risk first, cursor paginated.
export default function ChurnPage() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const [butlerId, setButlerId] = useState<string | undefined>();
  const [scheduling, setScheduling] = useState<ChurnItem | null>(null);
  const [moving, setMoving] = useState<ChurnItem | null>(null);
  const list = useInfiniteQuery({
    queryKey: reportKeys.churn(butlerId),
    queryFn: ({ pageParam }) => reportsApi.churn({ butlerId, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: TableColumnsType<ChurnItem> = [
    {
      title: t('churn.columns.client'),
      dataIndex: 'customerName',
      fixed: 'left',
      width: 110,
      render: (name: string, r) => <Link to={`/clients/${r.customerId}`}>{name}</Link>,
    },
    {
      title: t('churn.columns.tier'),
      dataIndex: 'tier',
      width: 80,
      render: (tier: string) => <Tag color={TIER_COLORS[tier]}>{tc(`tiers.${tier}`, { defaultValue: tier })}</Tag>,
    },
    { title: t('churn.columns.butler'), dataIndex: 'butlerName', width: 100 },
    {
      title: t('churn.columns.totalSpent'),
      dataIndex: 'totalSpentFen',
      width: 120,
      align: 'right',
      render: (fen: number) => formatFen(fen),
    },
    {
      title: t('churn.columns.lastPurchase'),
      dataIndex: 'lastPurchaseAt',
      width: 120,
      render: (v: string | null) => (v ? formatDate(v) : t('churn.never')),
    },
    {
      title: t('churn.columns.lastDetractor'),
      dataIndex: 'lastDetractorAt',
      width: 120,
      render: (v: string | null) => formatDate(v),
    },
    {
      title: t('churn.columns.reasons'),
      dataIndex: 'reasons',
      render: (reasons: ChurnItem['reasons']) => (
        <Space orientation="vertical" size={2}>
          {reasons.map((r) => (
            <Typography.Text key={r.code} type={r.code === 'recent_detractor' ? 'danger' : 'warning'}>
              • {r.message}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: t('churn.columns.actions'),
      fixed: 'right',
      width: 110,
      render: (_, r) => (
        <Space orientation="vertical" size={4}>
          <Button
            size="small"
            type="primary"
            onClick={() => setScheduling(r)}
            aria-label={`${t('churn.schedule')} ${r.customerName}`}
          >
            {t('churn.schedule')}
          </Button>
          <Button size="small" onClick={() => setMoving(r)} aria-label={`${t('churn.move')} ${r.customerName}`}>
            {t('churn.move')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('churn.title')}
        </Typography.Title>
        <ButlerSelect
          allowClear
          aria-label={t('churn.butler')}
          placeholder={t('churn.butler')}
          value={butlerId}
          onChange={setButlerId}
          style={{ minWidth: 180 }}
        />
      </Flex>
      <Typography.Text type="secondary">{t('churn.hint')}</Typography.Text>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<ChurnItem>
        rowKey="customerId"
        loading={list.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1130 }}
        locale={{ emptyText: t('churn.empty') }}
      />
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {tc('more')}
        </Button>
      )}
      <ScheduleModal row={scheduling} onClose={() => setScheduling(null)} />
      <MoveModal row={moving} onClose={() => setMoving(null)} />
    </Space>
  );
}

// Tomorrow 10:00 in Shanghai: the default time of a planned call.
const tomorrowAtTen = (): Dayjs => dayjs().tz(TZ).add(1, 'day').hour(10).minute(0).second(0).millisecond(0);

type ScheduleValues = { dueAt: Dayjs; note?: string };

// 安排回访: a follow-up for the client's own butler (the API's default), due when the manager picks.
function ScheduleModal({ row, onClose }: { row: ChurnItem | null; onClose(): void }) {
  const { t } = useTranslation('manager');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ScheduleValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (v: ScheduleValues) =>
      followUpsApi.create({
        customerId: row!.customerId,
        dueAt: shanghaiIso(v.dueAt),
        kind: 'churn_risk',
        note: v.note?.trim() || undefined,
      }),
    onSuccess: (f) => {
      void message.success(t('churn.scheduled', { name: row?.butlerName ?? '', time: formatDate(f.dueAt) }));
      setGeneral([]);
      onClose();
      return queryClient.invalidateQueries({ queryKey: ['follow-ups'] });
    },
    onError: (error) => setGeneral(showApiErrors(form, error)),
  });
  return (
    <Modal
      open={!!row}
      title={t('churn.scheduleTitle', { name: row?.customerName ?? '' })}
      okText={t('churn.scheduleOk')}
      onOk={() => form.submit()}
      onCancel={() => {
        setGeneral([]);
        onClose();
      }}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">
        {t('churn.scheduleFor', { name: row?.butlerName ?? '' })}
      </Typography.Paragraph>
      <Form<ScheduleValues>
        form={form}
        layout="vertical"
        initialValues={{ dueAt: tomorrowAtTen() }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="dueAt"
          label={t('churn.dueAt')}
          rules={[{ required: true, message: t('churn.dueAtRequired') }]}
        >
          <DateTimePicker />
        </Form.Item>
        <Form.Item name="note" label={t('churn.note')}>
          <Input.TextArea
            maxLength={2000}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('churn.notePlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// 改派: the client (with its open follow-ups and cases) to another butler of the team, never the
// current one, after the manager has read what moves.
function MoveModal({ row, onClose }: { row: ChurnItem | null; onClose(): void }) {
  const { t } = useTranslation('manager');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<string>();
  const [targetName, setTargetName] = useState('');
  const move = useMutation({
    mutationFn: () =>
      http.post(`/customers/${row!.customerId}/assign`, { butlerId: target! } satisfies Schema<'AssignCustomerDto'>),
    onSuccess: () => {
      void message.success(t('churn.moved', { client: row?.customerName ?? '', name: targetName }));
      setTarget(undefined);
      onClose();
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['reports'] }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
        queryClient.invalidateQueries({ queryKey: ['follow-ups'] }),
      ]);
    },
    onError: (error) => void message.error(errorText(error)),
  });
  return (
    <Modal
      open={!!row}
      title={t('churn.moveTitle', { name: row?.customerName ?? '' })}
      okText={t('churn.moveOk')}
      okButtonProps={{ disabled: !target }}
      onOk={() => move.mutate()}
      onCancel={() => {
        setTarget(undefined);
        onClose();
      }}
      confirmLoading={move.isPending}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>{t('churn.moveFrom', { name: row?.butlerName ?? '' })}</Typography.Text>
        <ButlerSelect
          aria-label={t('churn.moveTo')}
          placeholder={t('churn.moveTo')}
          exclude={row?.butlerId}
          value={target}
          onChange={(v, option) => {
            setTarget(v);
            setTargetName(Array.isArray(option) ? '' : String(option?.label ?? ''));
          }}
          style={{ width: '100%' }}
        />
        {target && (
          <Alert
            type="warning"
            showIcon
            title={t('churn.moveConfirm', {
              client: row?.customerName ?? '',
              from: row?.butlerName ?? '',
              to: targetName,
            })}
          />
        )}
      </Space>
    </Modal>
  );
}
