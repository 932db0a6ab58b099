import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Flex, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { wecomApi, wecomKeys, WecomTransfer } from '../../api/wecom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';

const STATUS_COLORS: Record<string, string> = {
  queued: 'processing',
  waiting: 'processing',
  succeeded: 'success',
  failed: 'error',
  skipped: 'warning',
};
const FILTERS = ['all', 'failed', 'skipped', 'waiting', 'succeeded'] as const;

// 企业微信客户转接: which reassigned clients' WeCom relationships moved to the new butler, which are
// waiting out WeCom's 24 h, and which could not move and why.
export default function WecomTransfersPage() {
  const { t } = useTranslation('wecom');
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const status = filter === 'all' ? undefined : filter;
  const list = useInfiniteQuery({
    queryKey: wecomKeys.transfers(filter),
    queryFn: ({ pageParam }) => wecomApi.transfers({ status, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: TableColumnsType<WecomTransfer> = [
    {
      title: t('transfers.columns.customer'),
      dataIndex: 'customerName',
      render: (name: string, r) => <Link to={`/clients/${r.customerId}`}>{name}</Link>,
    },
    { title: t('transfers.columns.from'), dataIndex: 'fromButlerName' },
    { title: t('transfers.columns.to'), dataIndex: 'toButlerName' },
    {
      title: t('transfers.columns.status'),
      dataIndex: 'status',
      render: (s: string, r) => (
        <Space size={4}>
          <Tag color={STATUS_COLORS[s]}>{t(`transfers.statuses.${s}`)}</Tag>
          {r.kind === 'resigned' && <Tag>{t('transfers.resigned')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('transfers.columns.reason'),
      dataIndex: 'reason',
      render: (reason: string | null, r) => {
        if (!reason) return '—';
        const code = r.errcode ? `（${t('transfers.errcode', { errcode: r.errcode })}）` : '';
        return `${t(`transfers.reasons.${reason}`)}${code}`;
      },
    },
    {
      title: t('transfers.columns.at'),
      dataIndex: 'requestedAt',
      render: (at: string, r) => formatDateTime(r.takeoverAt ?? at),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('transfers.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('transfers.hint')}</Typography.Text>
      <Segmented
        value={filter}
        onChange={(v) => setFilter(v)}
        options={FILTERS.map((f) => ({ value: f, label: t(`transfers.filters.${f}`) }))}
      />
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Table<WecomTransfer>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('transfers.none') }}
        data-testid="wecom-transfers"
      />
      {list.hasNextPage && (
        <Flex justify="center">
          <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('transfers.more')}
          </Button>
        </Flex>
      )}
    </Space>
  );
}
