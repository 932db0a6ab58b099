import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { customerKeys, customersApi, Recommendation } from '../../api/customers';
import { formatFen } from '../../lib/format';

// What to offer next, with the API's reason in Chinese.
export default function RecommendationsCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation('clients');
  const recs = useQuery({
    queryKey: customerKeys.recommendations(customerId),
    queryFn: () => customersApi.recommendations(customerId, 5),
  });
  return (
    <Card title={t('recommendations.title')} size="small" data-testid="recommendations">
      <Table<Recommendation>
        rowKey={(r) => r.product.id}
        size="small"
        pagination={false}
        loading={recs.isPending}
        dataSource={recs.data?.items ?? []}
        locale={{ emptyText: t('recommendations.none') }}
        columns={[
          {
            key: 'product',
            title: t('recommendations.product'),
            render: (_, r) => (
              <>
                <Typography.Text strong>{r.product.name}</Typography.Text>
                <div>
                  <Tag>{r.product.aromaName}</Tag>
                  <Typography.Text type="secondary">
                    {r.product.brand} · {r.product.abv}% · {formatFen(r.product.priceFen)}
                  </Typography.Text>
                </div>
                {r.reason && <Typography.Text type="secondary">{r.reason}</Typography.Text>}
              </>
            ),
          },
          {
            key: 'score',
            title: t('recommendations.score'),
            width: 90,
            render: (_, r) => (
              <Progress
                type="circle"
                size={44}
                percent={Math.round(r.score * 100)}
                format={(p) => p}
                aria-label={t('recommendations.score')}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
