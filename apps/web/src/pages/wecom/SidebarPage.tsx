import { QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Flex, List, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { casesApi } from '../../api/cases';
import { ApiError, http, Page, tokenStore } from '../../api/client';
import { Customer, customerKeys, customersApi, Purchase } from '../../api/customers';
import { followUpsApi } from '../../api/follow-ups';
import type { Schema } from '../../api/types';
import { wecomApi, wecomKeys } from '../../api/wecom';
import { CustomerSelect } from '../../components/CustomerSelect';
import { errorText } from '../../components/formErrors';
import { LogContactButton } from '../../components/LogContactModal';
import { queryClient } from '../../layout/query-client';
import { formatDate, formatDateTime, formatFen } from '../../lib/format';
import { TierTag } from '../clients/TierTag';
import { currentExternalContact, WecomSdkError } from './jssdk';

type Stage =
  | { kind: 'signing-in' }
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
  const [stage, setStage] = useState<Stage>({ kind: 'signing-in' });

  useEffect(() => {
    let current = true;
    const go = (next: Stage) => current && setStage(next);
    void (async () => {
      const url = new URL(window.location.href);
      const code = url.searchParams.get('code');
      try {
        if (code) {
          await wecomApi.signIn(code);
          url.searchParams.delete('code');
          url.searchParams.delete('state');
          window.history.replaceState(null, '', url.pathname + url.search);
        } else if (!tokenStore.get()) {
          return go({ kind: 'failed', reason: 'no_code' });
        }
        go({ kind: 'identifying' });
        const externalUserId = await currentExternalContact(wecomApi.jsConfig);
        go({ kind: 'contact', externalUserId });
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
    case 'signing-in':
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
  const contact = useQuery({
    queryKey: wecomKeys.contact(externalUserId),
    queryFn: () => wecomApi.contact(externalUserId),
  });
  if (contact.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (contact.isError)
    return <Alert type="error" showIcon title={t('loadFailed')} description={errorText(contact.error)} />;
  if (!contact.data.customerId) return <LinkStep externalUserId={externalUserId} />;
  return <ClientPanel customerId={contact.data.customerId} />;
}

// 关联客户: the butler picks which of their clients this WeCom contact is.
function LinkStep({ externalUserId }: { externalUserId: string }) {
  const { t } = useTranslation('wecom');
  const client = useQueryClient();
  const [picked, setPicked] = useState<string>();
  const bind = useMutation({
    mutationFn: (customerId: string) => wecomApi.bind(externalUserId, customerId),
    onSuccess: (data) => client.setQueryData(wecomKeys.contact(externalUserId), data),
  });
  return (
    <Card title={t('link.title')} data-testid="wecom-link">
      <Typography.Paragraph type="secondary">{t('link.hint')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <CustomerSelect style={{ width: '100%' }} value={picked} onChange={(v: string) => setPicked(v)} allowClear />
        {bind.isError && <Alert type="error" showIcon title={errorText(bind.error)} />}
        <Button
          type="primary"
          block
          disabled={!picked}
          loading={bind.isPending}
          onClick={() => picked && bind.mutate(picked)}
          data-testid="wecom-link-submit"
        >
          {t('link.submit')}
        </Button>
      </Space>
    </Card>
  );
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
        <LogContactButton customer={{ id: c.id, name: c.name }} />
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
        <List
          size="small"
          dataSource={purchases.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('purchases.none')} /> }}
          renderItem={(p) => (
            <List.Item extra={formatFen(p.totalFen)}>
              <List.Item.Meta
                title={p.items.map((i) => `${i.productName ?? i.sku ?? ''} ×${i.quantity}`).join('，')}
                description={formatDate(p.purchasedAt)}
              />
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t('sections.followUps')} loading={followUps.isPending}>
        <List
          size="small"
          dataSource={followUps.data?.items ?? []}
          locale={{ emptyText: t('followUps.none') }}
          renderItem={(f) => (
            <List.Item>
              <List.Item.Meta title={f.title} description={t('followUps.due', { time: formatDateTime(f.dueAt) })} />
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t('sections.cases')} loading={cases.isPending}>
        <List
          size="small"
          dataSource={openCases}
          locale={{ emptyText: t('cases.none') }}
          renderItem={(x) => (
            <List.Item extra={<Tag>{t(`cases.statuses.${x.status}`)}</Tag>}>
              <List.Item.Meta title={x.summary} description={formatDate(x.openedAt)} />
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t('sections.scores')} loading={scores.isPending}>
        <List
          size="small"
          dataSource={scores.data?.items ?? []}
          locale={{ emptyText: t('scores.none') }}
          renderItem={(s) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space size={4}>
                    <Tag color={s.csat <= 2 ? 'red' : s.csat >= 4 ? 'green' : 'default'}>
                      {t('scores.csat', { value: s.csat })}
                    </Tag>
                    {s.nps !== null && <Tag>{t('scores.nps', { value: s.nps })}</Tag>}
                  </Space>
                }
                description={s.comment ? `${formatDate(s.respondedAt)} · ${s.comment}` : formatDate(s.respondedAt)}
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
