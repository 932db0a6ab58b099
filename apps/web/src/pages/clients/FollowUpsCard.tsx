import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { FollowUp, followUpKeys, followUpsApi } from '../../api/follow-ups';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDateTime } from '../../lib/format';

export const openFollowUpsFor = (customerId: string) => ({ customerId, status: 'open' as const, limit: 50 });

// The client's open follow-ups; the ones a just-recorded purchase created are marked.
export default function FollowUpsCard({
  customerId,
  highlightPurchaseId,
}: {
  customerId: string;
  highlightPurchaseId?: string | null;
}) {
  const { t } = useTranslation('clients');
  const { t: tt } = useTranslation('today');
  const { t: tc } = useTranslation();
  const isPhone = useIsPhone();
  const filters = openFollowUpsFor(customerId);
  const list = useQuery({ queryKey: followUpKeys.list(filters), queryFn: () => followUpsApi.list(filters) });
  const created = (f: FollowUp) =>
    f.purchaseId && f.purchaseId === highlightPurchaseId && <Tag color="green">{t('followUps.created')}</Tag>;
  const overdue = (f: FollowUp) => f.overdue && <Tag color="red">{t('followUps.overdue')}</Tag>;
  return (
    <Card title={t('followUps.title')} size="small">
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : isPhone ? (
        <PhoneList<FollowUp>
          items={list.data?.items ?? []}
          loading={list.isPending}
          empty={t('followUps.none')}
          rowKey={(f) => f.id}
          render={(f) => (
            <PhoneCard
              title={f.title}
              tags={
                <>
                  {created(f)}
                  {overdue(f)}
                </>
              }
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {tt(`followUps.kinds.${f.kind}`)}
              </Typography.Text>
              <Fact label={t('followUps.columns.due')}>{formatDateTime(f.dueAt)}</Fact>
            </PhoneCard>
          )}
        />
      ) : list.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Table<FollowUp>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.data.items}
          locale={{ emptyText: t('followUps.none') }}
          columns={[
            {
              key: 'title',
              title: t('followUps.columns.title'),
              render: (_, f) => (
                <>
                  {f.title} {created(f)}
                  <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{tt(`followUps.kinds.${f.kind}`)}</div>
                </>
              ),
            },
            {
              key: 'due',
              title: t('followUps.columns.due'),
              align: 'right',
              render: (_, f) => (
                <>
                  {t('followUps.due', { time: formatDateTime(f.dueAt) })}
                  {f.overdue && (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      {t('followUps.overdue')}
                    </Tag>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
