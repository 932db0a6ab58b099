import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { customerKeys, customersApi } from '../../api/customers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatFen } from '../../lib/format';

// Value of the client (RFM against the whole base) and whether they are drifting away, and why.
export default function MetricsCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const metrics = useQuery({
    queryKey: customerKeys.metrics(customerId),
    queryFn: () => customersApi.metrics(customerId),
  });
  if (metrics.isPending)
    return (
      <Card title={t('metrics.title')} size="small">
        <Skeleton active />
      </Card>
    );
  if (metrics.isError)
    return <ErrorAlert title={tc('loadFailed')} error={metrics.error} onRetry={() => metrics.refetch()} />;
  const m = metrics.data;
  return (
    <Card title={t('metrics.title')} size="small">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('metrics.purchaseCount')} value={m.purchaseCount} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('metrics.total')} value={formatFen(m.totalFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('metrics.avgOrder')} value={formatFen(m.avgOrderFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('metrics.recency')}
            value={
              m.recencyDays === null ? t('metrics.noPurchases') : t('metrics.recencyDays', { count: m.recencyDays })
            }
          />
        </Col>
      </Row>
      <Descriptions column={{ xs: 1, sm: 2 }} size="small" style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('metrics.segment')}>
          <Tag color="geekblue">{m.segment.name}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('metrics.rfm')}>
          {m.rfm
            ? [
                `${t('metrics.recency_')} ${m.rfm.recency}`,
                `${t('metrics.frequency')} ${m.rfm.frequency}`,
                `${t('metrics.monetary')} ${m.rfm.monetary}`,
              ].join(' · ')
            : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('metrics.churn')} span={2}>
          {m.churnRisk.atRisk ? (
            <Tag color="red">{t('metrics.atRisk')}</Tag>
          ) : (
            <Tag color="green">{t('metrics.stable')}</Tag>
          )}
          {m.churnRisk.typicalIntervalDays !== null && (
            <Typography.Text type="secondary">
              {t('metrics.typicalInterval', { days: Math.round(m.churnRisk.typicalIntervalDays) })}
            </Typography.Text>
          )}
        </Descriptions.Item>
      </Descriptions>
      {m.churnRisk.reasons.map((r) => (
        <Alert key={r.code} type="warning" showIcon title={r.message} style={{ marginTop: 8 }} />
      ))}
    </Card>
  );
}
