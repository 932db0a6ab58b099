import { FormOutlined } from '@ant-design/icons';
import { QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Flex, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { lazy, ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { casesApi } from '../../api/cases';
import { ApiError, http, Page } from '../../api/client';
import { Customer, customerKeys, customersApi, Purchase } from '../../api/customers';
import { followUpsApi } from '../../api/follow-ups';
import type { Schema } from '../../api/types';
import { wecomKeys } from '../../api/wecom';
import { errorText } from '../../components/formErrors';
import i18n from '../../i18n';
import { queryClient } from '../../layout/query-client';
import { formatDate, formatDateTime, formatFen } from '../../lib/format';
import { TierTag } from '../clients/TierTag';
import { identify, takeContact } from './identify';
import { WecomSdkError } from './jssdk';

// Loaded when needed: the link step (a client picker) and the 记一笔 dialog (with its own namespaces).
const LinkStep = lazy(async () => {
  const [page] = await Promise.all([import('./LinkStep'), i18n.loadNamespaces(['clients'])]);
  return page;
});
const LogContactModal = lazy(async () => {
  const [{ LogContactModal: Modal }] = await Promise.all([
    import('../../components/LogContactModal'),
    i18n.loadNamespaces(['clients', 'today']),
  ]);
  return { default: Modal };
});

type Stage =
  | { kind: 'identifying' }
  | { kind: 'contact'; externalUserId: string }
  | { kind: 'failed'; reason: 'no_code' | 'not_bound' | 'sdk' | 'other'; detail?: string };

// The chat toolbar (聊天工具栏) page WeCom opens beside a chat with an external contact: the butler
// is signed in by WeCom's OAuth2 code, the client found through the JS-SDK, and the page shows what
// the butler needs while typing — taste, last purchases, open follow-ups and cases, recent scores —
// with 记一笔. Phone-sized (WeCom's sidebar is narrow on the desktop too); no console frame.
export default function SidebarPage() {
  return (
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }} data-testid="wecom-sidebar">
          <Sidebar />
        </div>
      </AntApp>
    </QueryClientProvider>
  );
}

function Sidebar() {
  const { t } = useTranslation('wecom');
  const [stage, setStage] = useState<Stage>({ kind: 'identifying' });

  useEffect(() => {
    let current = true;
    const go = (next: Stage) => current && setStage(next);
    void (async () => {
      try {
        const found = await identify();
        go(found.kind === 'no_code' ? { kind: 'failed', reason: 'no_code' } : found);
      } catch (error) {
        if (error instanceof WecomSdkError) return go({ kind: 'failed', reason: 'sdk', detail: error.message });
        if (error instanceof ApiError && error.code === 'WECOM_USER_NOT_BOUND')
          return go({ kind: 'failed', reason: 'not_bound' });
        go({ kind: 'failed', reason: 'other', detail: errorText(error) });
      }
    })();
    return () => {
      current = false;
    };
  }, []);

  switch (stage.kind) {
    case 'identifying':
      return <Skeleton active paragraph={{ rows: 6 }} />;
    case 'failed':
      return (
        <Result
          status={stage.reason === 'other' ? 'error' : 'warning'}
          title={t(`failed.${stage.reason}`)}
          subTitle={stage.reason === 'sdk' || stage.reason === 'other' ? stage.detail : t(`failed.${stage.reason}Hint`)}
        />
      );
    case 'contact':
      return <Contact externalUserId={stage.externalUserId} />;
  }
}

function Contact({ externalUserId }: { externalUserId: string }) {
  const { t } = useTranslation('wecom');
  const client = useQueryClient();
  const contact = useQuery({
    queryKey: wecomKeys.contact(externalUserId),
    queryFn: async () => {
      const found = await takeContact(externalUserId);
      // The client comes with the answer: the panel renders without asking for it again.
      if (found.customer) client.setQueryData(customerKeys.one(found.customer.id), found.customer);
      return found;
    },
  });
  if (contact.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (contact.isError)
    return <Alert type="error" showIcon title={t('loadFailed')} description={errorText(contact.error)} />;
  if (!contact.data.customerId)
    return (
      <Suspense fallback={<Skeleton active />}>
        <LinkStep externalUserId={externalUserId} />
      </Suspense>
    );
  return <ClientPanel customerId={contact.data.customerId} />;
}

type SurveyResult = Schema<'SurveyResultDto'>;

function ClientPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation('wecom');
  const { t: tc } = useTranslation();
  const customer = useQuery({ queryKey: customerKeys.one(customerId), queryFn: () => customersApi.get(customerId) });
  const taste = useQuery({
    queryKey: customerKeys.taste(customerId),
    queryFn: () => customersApi.tasteProfile(customerId),
  });
  const purchases = useQuery({
    queryKey: ['wecom', 'purchases', customerId],
    queryFn: () => http.get<Page<Purchase>>(`/customers/${customerId}/purchases`, { limit: 3 }),
  });
  const followUps = useQuery({
    queryKey: ['wecom', 'follow-ups', customerId],
    queryFn: () => followUpsApi.list({ customerId, status: 'open', limit: 5 }),
  });
  const cases = useQuery({
    queryKey: ['wecom', 'cases', customerId],
    queryFn: () => casesApi.list({ customerId, limit: 10 }),
  });
  const scores = useQuery({
    queryKey: ['wecom', 'scores', customerId],
    queryFn: () => http.get<Page<SurveyResult>>('/surveys/responses', { customerId, limit: 3 }),
  });

  if (customer.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (customer.isError)
    return <Alert type="error" showIcon title={t('loadFailed')} description={errorText(customer.error)} />;
  const c: Customer = customer.data;
  const openCases = (cases.data?.items ?? []).filter((x) => x.status === 'open' || x.status === 'in_progress');

  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" gap={8}>
        <Space size={4} wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="wecom-client-name">
            {c.name}
          </Typography.Title>
          <TierTag tier={c.tier} />
        </Space>
        <LogContact customer={{ id: c.id, name: c.name }} />
      </Flex>

      <Card size="small" title={t('sections.taste')} loading={taste.isPending}>
        {taste.data && (taste.data.aromas.length > 0 || taste.data.brands.length > 0) ? (
          <Space orientation="vertical" size={4}>
            <Space size={[4, 4]} wrap>
              {[...taste.data.aromas]
                .sort((a, b) => b.weight - a.weight)
                .map((a) => (
                  <Tag key={a.type} color="volcano">
                    {tc(`aromas.${a.type}`)}
                  </Tag>
                ))}
              {taste.data.brands.map((b) => (
                <Tag key={b}>{b}</Tag>
              ))}
            </Space>
            {taste.data.abvRange && (
              <Typography.Text type="secondary">
                {t('taste.abv', { from: taste.data.abvRange[0], to: taste.data.abvRange[1] })}
              </Typography.Text>
            )}
            {taste.data.priceRangeFen && (
              <Typography.Text type="secondary">
                {t('taste.price', {
                  from: formatFen(taste.data.priceRangeFen[0]),
                  to: formatFen(taste.data.priceRangeFen[1]),
                })}
              </Typography.Text>
            )}
            {taste.data.notes && <Typography.Text>{taste.data.notes}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('taste.none')}</Typography.Text>
        )}
      </Card>

      <Card size="small" title={t('sections.purchases')} loading={purchases.isPending}>
        <Rows
          empty={t('purchases.none')}
          items={(purchases.data?.items ?? []).map((p) => ({
            key: p.id,
            title: p.items.map((i) => `${i.productName ?? i.sku ?? ''} ×${i.quantity}`).join('，'),
            description: formatDate(p.purchasedAt),
            extra: formatFen(p.totalFen),
          }))}
        />
      </Card>

      <Card size="small" title={t('sections.followUps')} loading={followUps.isPending}>
        <Rows
          empty={t('followUps.none')}
          items={(followUps.data?.items ?? []).map((f) => ({
            key: f.id,
            title: f.title,
            description: t('followUps.due', { time: formatDateTime(f.dueAt) }),
          }))}
        />
      </Card>

      <Card size="small" title={t('sections.cases')} loading={cases.isPending}>
        <Rows
          empty={t('cases.none')}
          items={openCases.map((x) => ({
            key: x.id,
            title: x.summary,
            description: formatDate(x.openedAt),
            extra: <Tag>{t(`cases.statuses.${x.status}`)}</Tag>,
          }))}
        />
      </Card>

      <Card size="small" title={t('sections.scores')} loading={scores.isPending}>
        <Rows
          empty={t('scores.none')}
          items={(scores.data?.items ?? []).map((s) => ({
            key: s.id,
            title: (
              <Space size={4}>
                <Tag color={s.csat <= 2 ? 'red' : s.csat >= 4 ? 'green' : 'default'}>
                  {t('scores.csat', { value: s.csat })}
                </Tag>
                {s.nps !== null && <Tag>{t('scores.nps', { value: s.nps })}</Tag>}
              </Space>
            ),
            description: s.comment ? `${formatDate(s.respondedAt)} · ${s.comment}` : formatDate(s.respondedAt),
          }))}
        />
      </Card>
    </Space>
  );
}

interface Row {
  key: string;
  title: ReactNode;
  description: ReactNode;
  extra?: ReactNode;
}

// A card's few lines (Ant Design's List would pull pagination and more into the first load).
function Rows({ items, empty }: { items: Row[]; empty: string }) {
  if (items.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <Flex vertical gap={8}>
      {items.map((row) => (
        <Flex key={row.key} justify="space-between" align="start" gap={8}>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text>{row.title}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.description}
            </Typography.Text>
          </Flex>
          {row.extra !== undefined && <span style={{ flex: 'none' }}>{row.extra}</span>}
        </Flex>
      ))}
    </Flex>
  );
}

// 记一笔: the console's dialog, loaded on the first tap (it is not needed to show the client).
function LogContact({ customer }: { customer: { id: string; name: string } }) {
  const { t } = useTranslation('wecom');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<FormOutlined />} onClick={() => setOpen(true)} data-testid="log-contact">
        {t('logContact')}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <LogContactModal customer={customer} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
