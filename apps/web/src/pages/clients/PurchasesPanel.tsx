import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys, customersApi, Purchase, PURCHASE_CHANNELS } from '../../api/customers';
import { followUpKeys, followUpsApi } from '../../api/follow-ups';
import DateTimePicker from '../../components/DateTimePicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { showApiErrors } from '../../components/formErrors';
import { Fact, PhoneCard, PhoneList } from '../../components/PhoneCard';
import { ProductSelect } from '../../components/ProductSelect';
import { useIsPhone } from '../../layout/useIsPhone';
import { formatDateTime, formatFen, parseYuanToFen } from '../../lib/format';
import { itemsLine } from '../../lib/phone';
import { openFollowUpsFor } from './FollowUpsCard';
import {
  newOrderRef,
  purchaseFieldName,
  PurchaseFormValues,
  purchaseTotalFen,
  shanghaiNow,
  toPurchaseBody,
} from './purchaseForm';

// The client's purchases, newest first, and the form to record one (which schedules follow-ups).
export default function PurchasesPanel({
  customerId,
  onRecorded,
}: {
  customerId: string;
  onRecorded?: (purchaseId: string) => void;
}) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const [recording, setRecording] = useState(false);
  const isPhone = useIsPhone();
  const list = useInfiniteQuery({
    queryKey: customerKeys.purchases(customerId),
    queryFn: ({ pageParam }) => customersApi.purchases(customerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  return (
    <Card
      title={t('purchases.title')}
      size="small"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
          {t('purchases.record')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorAlert title={tc('loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : isPhone ? (
        <PhoneList<Purchase>
          items={rows}
          loading={list.isPending}
          empty={t('purchases.none')}
          rowKey={(p) => p.id}
          render={(p) => (
            <PhoneCard
              testId="purchase-card"
              title={formatFen(p.totalFen)}
              tags={<Tag style={{ marginInlineEnd: 0 }}>{t(`purchases.channels.${p.channel}`)}</Tag>}
            >
              <Typography.Text>{itemsLine(p.items)}</Typography.Text>
              <Fact label={t('purchases.columns.purchasedAt')}>{formatDateTime(p.purchasedAt)}</Fact>
              <Fact label={t('purchases.columns.orderRef')}>{p.orderRef}</Fact>
            </PhoneCard>
          )}
        />
      ) : (
        <Table<Purchase>
          rowKey="id"
          size="small"
          pagination={false}
          loading={list.isPending}
          dataSource={rows}
          scroll={{ x: 640 }}
          locale={{ emptyText: list.isPending ? <Skeleton active /> : t('purchases.none') }}
          columns={[
            {
              title: t('purchases.columns.purchasedAt'),
              dataIndex: 'purchasedAt',
              width: 140,
              render: (v: string) => formatDateTime(v),
            },
            { title: t('purchases.columns.orderRef'), dataIndex: 'orderRef', width: 170 },
            {
              title: t('purchases.columns.channel'),
              dataIndex: 'channel',
              width: 70,
              render: (v: string) => t(`purchases.channels.${v}`),
            },
            { title: t('purchases.columns.items'), key: 'items', render: (_, p) => itemsLine(p.items) },
            {
              title: t('purchases.columns.total'),
              dataIndex: 'totalFen',
              width: 120,
              align: 'right',
              render: (v: number) => formatFen(v),
            },
          ]}
        />
      )}
      {list.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {tc('more')}
          </Button>
        </Flex>
      )}
      <RecordPurchaseDrawer
        customerId={customerId}
        open={recording}
        onClose={() => setRecording(false)}
        onRecorded={(id) => {
          setRecording(false);
          onRecorded?.(id);
        }}
      />
    </Card>
  );
}

function RecordPurchaseDrawer({
  customerId,
  open,
  onClose,
  onRecorded,
}: {
  customerId: string;
  open: boolean;
  onClose(): void;
  onRecorded(id: string): void;
}) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PurchaseFormValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const items = Form.useWatch('items', form);
  const total = purchaseTotalFen(items);

  const record = useMutation({
    // A repeated orderRef returns the purchase recorded the first time (and creates nothing). The
    // status says so, not a comparison of the server's createdAt with this browser's clock.
    mutationFn: (values: PurchaseFormValues) => customersApi.recordPurchase(customerId, toPurchaseBody(values)),
    onSuccess: async ({ purchase, repeated }) => {
      message.success(
        repeated
          ? t('purchases.duplicate', { orderRef: purchase.orderRef })
          : t('purchases.recorded', { orderRef: purchase.orderRef }),
      );
      form.resetFields();
      form.setFieldValue('orderRef', newOrderRef());
      onRecorded(purchase.id);
      const filters = openFollowUpsFor(customerId);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.purchases(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.one(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.metrics(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.recommendations(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.timeline(customerId) }),
        queryClient.invalidateQueries({ queryKey: followUpKeys.all }),
      ]);
      const followUps = await queryClient.fetchQuery({
        queryKey: followUpKeys.list(filters),
        queryFn: () => followUpsApi.list(filters),
      });
      const created = followUps.items.filter((f) => f.purchaseId === purchase.id).length;
      if (created > 0) message.info(t('followUps.created') + ` (${created})`);
    },
    onError: (error) => setGeneral(showApiErrors(form, error, purchaseFieldName)),
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('purchases.record')}
      size={screens.md ? 640 : '100%'}
      extra={
        <Space>
          <Button onClick={onClose}>{tc('cancel')}</Button>
          <Button type="primary" loading={record.isPending} onClick={() => form.submit()}>
            {t('purchases.submit')}
          </Button>
        </Space>
      }
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Form<PurchaseFormValues>
        form={form}
        layout="vertical"
        initialValues={{
          orderRef: newOrderRef(),
          channel: 'store',
          purchasedAt: shanghaiNow(),
          items: [{ quantity: 1 }],
        }}
        onFinish={(values) => {
          setGeneral([]);
          record.mutate(values);
        }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item label={t('purchases.orderRef')} required>
              <Space.Compact block>
                <Form.Item
                  name="orderRef"
                  noStyle
                  rules={[{ required: true, whitespace: true, message: t('purchases.orderRef') }]}
                >
                  <Input aria-label={t('purchases.orderRef')} maxLength={64} />
                </Form.Item>
                <Button
                  icon={<ReloadOutlined />}
                  aria-label={t('purchases.regenerate')}
                  title={t('purchases.regenerate')}
                  onClick={() => form.setFieldValue('orderRef', newOrderRef())}
                />
              </Space.Compact>
            </Form.Item>
          </Col>
          <Col xs={12} sm={5}>
            <Form.Item name="channel" label={t('purchases.channel')}>
              <Select options={PURCHASE_CHANNELS.map((c) => ({ value: c, label: t(`purchases.channels.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={7}>
            <Form.Item
              name="purchasedAt"
              label={t('purchases.purchasedAt')}
              rules={[{ required: true, message: t('purchases.purchasedAt') }]}
            >
              <DateTimePicker allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('purchases.items')}</Typography.Title>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name={[field.name, 'productId']}
                      label={index === 0 || !screens.sm ? t('purchases.product') : undefined}
                      rules={[{ required: true, message: t('purchases.productRequired') }]}
                    >
                      <ProductSelect
                        aria-label={`${t('purchases.product')} ${index + 1}`}
                        onProduct={(p) =>
                          form.setFieldValue(['items', field.name, 'unitPriceYuan'], (p.priceFen / 100).toFixed(2))
                        }
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={8} sm={4}>
                    <Form.Item
                      name={[field.name, 'quantity']}
                      label={index === 0 || !screens.sm ? t('purchases.quantity') : undefined}
                      rules={[{ required: true, message: t('purchases.quantityRequired') }]}
                    >
                      <InputNumber
                        aria-label={`${t('purchases.quantity')} ${index + 1}`}
                        min={1}
                        max={10000}
                        precision={0}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={6}>
                    <Form.Item
                      name={[field.name, 'unitPriceYuan']}
                      label={index === 0 || !screens.sm ? t('purchases.unitPrice') : undefined}
                      rules={[
                        {
                          validator: (_, v: string | undefined) =>
                            parseYuanToFen(v ?? '') === null
                              ? Promise.reject(new Error(t('purchases.unitPriceInvalid')))
                              : Promise.resolve(),
                        },
                      ]}
                    >
                      <Input aria-label={`${t('purchases.unitPrice')} ${index + 1}`} prefix="¥" inputMode="decimal" />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2}>
                    <Form.Item label={index === 0 || !screens.sm ? ' ' : undefined}>
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('purchases.removeItem')}
                        disabled={fields.length === 1}
                        onClick={() => remove(field.name)}
                      />
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Flex justify="space-between" align="center" wrap gap={8}>
                <Button icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })}>
                  {t('purchases.addItem')}
                </Button>
                <Typography.Text strong>
                  {t('purchases.total')}：{formatFen(total)}
                </Typography.Text>
              </Flex>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
