import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Result,
  Row,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { ApiError } from '../../api/client';
import { Customer, customerKeys, customersApi } from '../../api/customers';
import { errorText } from '../../components/formErrors';
import { LogContactButton } from '../../components/LogContactModal';
import { TelButton } from '../../components/TelButton';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDateTime } from '../../lib/format';
import { telHref } from '../../lib/phone';
import ClientTimeline from './ClientTimeline';
import CustomerFormDrawer from './CustomerFormDrawer';
import FollowUpsCard from './FollowUpsCard';
import MetricsCard from './MetricsCard';
import PurchasesPanel from './PurchasesPanel';
import RecommendationsCard from './RecommendationsCard';
import TasteProfileEditor from './TasteProfileEditor';
import { TierTag } from './TierTag';

// One client: who they are, what they like, what they bought, what to offer next, and everything
// that happened, newest first.
export default function ClientDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState('overview');
  const [newPurchaseId, setNewPurchaseId] = useState<string | null>(null);
  const isPhone = useIsPhone();
  const customer = useQuery({ queryKey: customerKeys.one(id), queryFn: () => customersApi.get(id) });

  if (customer.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (customer.isError) {
    const missing =
      customer.error instanceof ApiError && (customer.error.status === 404 || customer.error.status === 400);
    return missing ? (
      <Result
        status="404"
        title={t('detail.notFound')}
        subTitle={t('detail.notFoundHint')}
        extra={
          <Link to="/clients">
            <Button type="primary">{t('detail.back')}</Button>
          </Link>
        }
      />
    ) : (
      <Alert
        type="error"
        showIcon
        title={tc('loadFailed')}
        description={errorText(customer.error)}
        action={<Button onClick={() => void customer.refetch()}>{tc('retry')}</Button>}
      />
    );
  }
  const c = customer.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to="/clients" aria-label={t('detail.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {c.name}
          </Typography.Title>
          <TierTag tier={c.tier} />
          {c.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
        {/* Actions on the client: 拨打 on a phone, 编辑资料; more (记一笔 …) go here. */}
        <Space wrap>
          {isPhone && <TelButton mobile={c.mobile} />}
          <LogContactButton customer={c} />
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('detail.edit')}
          </Button>
        </Space>
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'overview',
            label: t('detail.tabs.overview'),
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={14}>
                  <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                    <ProfileCard customer={c} />
                    <MetricsCard customerId={c.id} />
                  </Space>
                </Col>
                <Col xs={24} xl={10}>
                  <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                    <FollowUpsCard customerId={c.id} highlightPurchaseId={newPurchaseId} />
                    <RecommendationsCard customerId={c.id} />
                  </Space>
                </Col>
              </Row>
            ),
          },
          {
            key: 'taste',
            label: t('detail.tabs.taste'),
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={14}>
                  <TasteProfileEditor customerId={c.id} />
                </Col>
                <Col xs={24} xl={10}>
                  <RecommendationsCard customerId={c.id} />
                </Col>
              </Row>
            ),
          },
          {
            key: 'purchases',
            label: t('detail.tabs.purchases'),
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={24} xxl={15}>
                  <PurchasesPanel customerId={c.id} onRecorded={setNewPurchaseId} />
                </Col>
                <Col xs={24} xxl={9}>
                  <FollowUpsCard customerId={c.id} highlightPurchaseId={newPurchaseId} />
                </Col>
              </Row>
            ),
          },
          { key: 'timeline', label: t('detail.tabs.timeline'), children: <ClientTimeline customerId={c.id} /> },
        ]}
      />
      <CustomerFormDrawer open={editing} customer={c} onClose={() => setEditing(false)} />
    </Space>
  );
}

function ProfileCard({ customer: c }: { customer: Customer }) {
  const { t } = useTranslation('clients');
  // On a phone the number dials.
  const isPhone = useIsPhone();
  const { t: tc } = useTranslation();
  // The channels consented on (邮件 短信), or 否.
  const channelsText = (answers: Record<'email' | 'sms' | 'wecom', boolean>) => {
    const given = (['email', 'sms', 'wecom'] as const).filter((ch) => answers[ch]);
    return given.length === 0 ? (
      <Tag>{t('detail.no')}</Tag>
    ) : (
      given.map((ch) => (
        <Tag key={ch} color="green">
          {tc(`channels.${ch}`)}
        </Tag>
      ))
    );
  };
  const birthday = c.birthday
    ? c.birthday.calendar === 'lunar'
      ? t('detail.lunarBirthday', { date: c.birthday.date }) + (c.birthday.leapMonth ? t('detail.leap') : '')
      : t('detail.solarBirthday', { date: c.birthday.date })
    : '—';
  return (
    <Card title={t('detail.profile')} size="small">
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        <Descriptions.Item label={t('form.mobile')}>
          {isPhone && telHref(c.mobile) ? <a href={telHref(c.mobile)}>{c.mobile}</a> : (c.mobile ?? '—')}
        </Descriptions.Item>
        <Descriptions.Item label={t('form.email')}>{c.email ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('form.gender')}>{c.gender ? t(`form.genders.${c.gender}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('form.birthday')}>{birthday}</Descriptions.Item>
        <Descriptions.Item label={t('form.city')}>{c.city ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('form.wechatId')}>{c.wechatId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('form.externalUserId')}>
          {c.externalUserId ? t('form.wecomBound') : t('form.wecomUnbound')}
        </Descriptions.Item>
        <Descriptions.Item label={t('form.notes')}>{c.notes || '—'}</Descriptions.Item>
      </Descriptions>
      <Descriptions title={t('detail.consent')} column={{ xs: 1, sm: 2 }} size="small" style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('form.consentGreetings')}>
          {channelsText(c.consent.channels.greetings)}
        </Descriptions.Item>
        <Descriptions.Item label={t('form.consentSurveys')}>
          {channelsText(c.consent.channels.surveys)}
        </Descriptions.Item>
        <Descriptions.Item label={t('form.preferredChannel')}>
          {c.preferredChannel ? tc(`channels.${c.preferredChannel}`) : t('form.preferredChannelNone')}
        </Descriptions.Item>
        <Descriptions.Item label={t('form.consentSource')}>
          {c.consent.source ? t(`form.sources.${c.consent.source}`, { defaultValue: c.consent.source }) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.consentUpdated')}>{formatDateTime(c.consent.updatedAt)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
