import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { FollowUp, followUpKeys, followUpsApi } from '../../api/follow-ups';
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
  const filters = openFollowUpsFor(customerId);
  const list = useQuery({ queryKey: followUpKeys.list(filters), queryFn: () => followUpsApi.list(filters) });
  return (
    <Card title={t('followUps.title')} size="small">
      <Table<FollowUp>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('followUps.none') }}
        columns={[
          {
            key: 'title',
            title: t('followUps.columns.title'),
            render: (_, f) => (
              <>
                {f.title}{' '}
                {f.purchaseId && f.purchaseId === highlightPurchaseId && (
                  <Tag color="green">{t('followUps.created')}</Tag>
                )}
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
    </Card>
  );
}
