import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Flex,
  Input,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { Customer, CustomerFilters, customerKeys, customersApi, CustomerSort } from '../../api/customers';
import { AROMAS, TIERS, type Aroma, type Tier } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { TelButton } from '../../components/TelButton';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDate, formatFen } from '../../lib/format';
import { TierTag } from './TierTag';

// The create form (date pickers, many fields) loads when first opened, not with the list.
const CustomerFormDrawer = lazy(() => import('./CustomerFormDrawer'));

const PAGE_SIZE = 50;

// Filters live in the address, so going back from a client keeps the list as it was.
function readFilters(params: URLSearchParams): CustomerFilters {
  const tier = params.get('tier');
  const aroma = params.get('aroma');
  return {
    q: params.get('q') ?? undefined,
    tier: TIERS.includes(tier as Tier) ? (tier as Tier) : undefined,
    tag: params.get('tag') ?? undefined,
    aroma: AROMAS.includes(aroma as Aroma) ? (aroma as Aroma) : undefined,
    atRisk: params.get('atRisk') === 'true' ? true : undefined,
    sort: params.get('sort') === 'lastPurchase' ? 'lastPurchase' : 'name',
  };
}

// The client book: searched, filtered and sorted by the API, read a page at a time (cursor), so
// 100,000 clients cost the browser no more than the pages the user asked for.
export default function ClientsPage() {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const [creating, setCreating] = useState(false);
  const [tagText, setTagText] = useState(filters.tag ?? '');
  const isPhone = useIsPhone();

  const setFilter = (key: keyof CustomerFilters, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const list = useInfiniteQuery({
    queryKey: customerKeys.list(filters),
    queryFn: ({ pageParam }) => customersApi.list({ ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const columns: TableColumnsType<Customer> = [
    {
      title: t('list.columns.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 120,
      render: (name: string, c) => <Link to={`/clients/${c.id}`}>{name}</Link>,
    },
    { title: t('list.columns.mobile'), dataIndex: 'mobile', width: 130, render: (m: string | null) => m ?? '—' },
    { title: t('list.columns.tier'), dataIndex: 'tier', width: 80, render: (tier: Tier) => <TierTag tier={tier} /> },
    {
      title: t('list.columns.tags'),
      dataIndex: 'tags',
      render: (tags: string[]) => (
        <Space size={[0, 4]} wrap>
          {tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('list.columns.city'), dataIndex: 'city', width: 90, render: (c: string | null) => c ?? '—' },
    {
      title: t('list.columns.lastPurchase'),
      dataIndex: 'lastPurchaseAt',
      width: 120,
      render: (v: string | null) => formatDate(v),
    },
    { title: t('list.columns.purchaseCount'), dataIndex: 'purchaseCount', width: 90, align: 'right' },
    {
      title: t('list.columns.totalSpent'),
      dataIndex: 'totalSpentFen',
      width: 130,
      align: 'right',
      render: (v: number) => formatFen(v),
    },
  ];

  const footer = (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Text type="secondary">{t('list.shown', { count: rows.length })}</Typography.Text>
      {list.hasNextPage ? (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {tc('more')}
        </Button>
      ) : (
        rows.length > 0 && <Typography.Text type="secondary">{t('list.noMore')}</Typography.Text>
      )}
    </Flex>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('list.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('list.create')}
        </Button>
      </Flex>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Input.Search
            key={filters.q ?? ''}
            defaultValue={filters.q}
            placeholder={t('list.search')}
            aria-label={t('list.search')}
            allowClear
            enterButton
            onSearch={(value) => setFilter('q', value.trim() || undefined)}
            style={{ width: 300, maxWidth: '100%' }}
          />
          <Select
            aria-label={t('list.tier')}
            placeholder={t('list.tier')}
            allowClear
            value={filters.tier}
            onChange={(v?: Tier) => setFilter('tier', v)}
            options={TIERS.map((tier) => ({ value: tier, label: tc(`tiers.${tier}`) }))}
            style={{ width: 110 }}
          />
          <Input
            aria-label={t('list.tag')}
            placeholder={t('list.tag')}
            allowClear
            value={tagText}
            onChange={(e) => {
              setTagText(e.target.value);
              if (!e.target.value) setFilter('tag', undefined);
            }}
            onPressEnter={() => setFilter('tag', tagText.trim() || undefined)}
            onBlur={() => setFilter('tag', tagText.trim() || undefined)}
            style={{ width: 120 }}
          />
          <Select
            aria-label={t('list.aroma')}
            placeholder={t('list.aroma')}
            allowClear
            value={filters.aroma}
            onChange={(v?: Aroma) => setFilter('aroma', v)}
            options={AROMAS.map((a) => ({ value: a, label: tc(`aromas.${a}`) }))}
            style={{ width: 130 }}
          />
          <Select
            aria-label={t('list.sort')}
            value={filters.sort}
            onChange={(v: CustomerSort) => setFilter('sort', v === 'name' ? undefined : v)}
            options={[
              { value: 'name', label: t('list.sortName') },
              { value: 'lastPurchase', label: t('list.sortLastPurchase') },
            ]}
            style={{ width: 150 }}
          />
          <Checkbox
            checked={!!filters.atRisk}
            onChange={(e) => setFilter('atRisk', e.target.checked ? 'true' : undefined)}
          >
            {t('list.atRisk')}
          </Checkbox>
        </Flex>
      </Card>
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : isPhone ? (
        <>
          <PhoneList<Customer>
            items={rows}
            loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
            empty={t('list.none')}
            rowKey={(c) => c.id}
            render={(c) => (
              <PhoneCard
                testId="client-card"
                title={<Link to={`/clients/${c.id}`}>{c.name}</Link>}
                tags={<TierTag tier={c.tier} />}
                // 拨打 first; more actions for the row (记一笔 …) go after it.
                actions={[<TelButton key="call" mobile={c.mobile} />]}
              >
                <Fact label={t('list.columns.lastPurchase')}>{formatDate(c.lastPurchaseAt)}</Fact>
                <Fact label={t('list.columns.totalSpent')}>
                  {formatFen(c.totalSpentFen)}
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {t('list.purchases', { count: c.purchaseCount })}
                  </Typography.Text>
                </Fact>
                {(c.city || c.tags.length > 0) && (
                  <Flex gap={4} wrap align="center" style={{ marginTop: 4 }}>
                    {c.city && <Typography.Text type="secondary">{c.city}</Typography.Text>}
                    {c.tags.map((tag) => (
                      <Tag key={tag}>{tag}</Tag>
                    ))}
                  </Flex>
                )}
              </PhoneCard>
            )}
          />
          {!list.isPending && footer}
        </>
      ) : (
        <Table<Customer>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 900 }}
          onRow={(c) => ({ onDoubleClick: () => void navigate(`/clients/${c.id}`) })}
          // While loading, neither the empty text nor a count of 0 shows.
          locale={{ emptyText: list.isPending ? <Skeleton active /> : t('list.none') }}
          footer={list.isPending ? undefined : () => footer}
        />
      )}
      {creating && (
        <Suspense fallback={null}>
          <CustomerFormDrawer
            open={creating}
            onClose={() => setCreating(false)}
            onSaved={(c) => void navigate(`/clients/${c.id}`)}
          />
        </Suspense>
      )}
    </Space>
  );
}
