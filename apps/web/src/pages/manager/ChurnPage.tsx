import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Flex, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ChurnItem, reportKeys, reportsApi } from '../../api/reports';
import { ButlerSelect } from '../../components/ButlerSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../lib/format';

const TIER_COLORS: Record<string, string> = { regular: 'default', silver: 'cyan', gold: 'gold', black: 'purple' };

// 流失风险: the team's at-risk clients with the reasons, newest risk first, cursor paginated.
export default function ChurnPage() {
  const { t } = useTranslation('manager');
  const { t: tc } = useTranslation();
  const [butlerId, setButlerId] = useState<string | undefined>();
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
        scroll={{ x: 900 }}
        locale={{ emptyText: t('churn.empty') }}
      />
      {list.hasNextPage && (
        <Button block loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {tc('more')}
        </Button>
      )}
    </Space>
  );
}
