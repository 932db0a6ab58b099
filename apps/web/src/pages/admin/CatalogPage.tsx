import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { adminKeys, productsApi, type Product, type ProductQuery } from '../../api/admin';
import { AROMAS, type Aroma } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatFen, parseYuanToFen } from '../../lib/format';
import { showApiError } from './apiErrors';
import { EditModal } from './EditModal';
import { formToProductBody, PRODUCT_FORM_FIELDS, productToForm, type ProductFormValues } from './productForm';

function ProductModal({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProductFormValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (values: ProductFormValues) => {
      const body = formToProductBody(values);
      return product ? productsApi.update(product.id, body) : productsApi.create(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.productsAll });
      message.success(t(product ? 'catalog.updated' : 'catalog.created', { name: saved.name }));
      onClose();
    },
    // The API names priceFen; the form holds the yuan text in `price`.
    onError: (error) =>
      setProblems(showApiError(form, error, { known: PRODUCT_FORM_FIELDS, rename: { priceFen: 'price' } })),
  });
  const required = (label: string) => ({ required: true, message: t('requiredField', { label }) });
  return (
    <EditModal
      title={product ? t('catalog.editTitle', { name: product.name }) : t('catalog.createTitle')}
      width={640}
      saving={save.isPending}
      problems={problems}
      onSave={() => form.submit()}
      onClose={onClose}
    >
      <Form<ProductFormValues>
        form={form}
        layout="vertical"
        initialValues={productToForm(product ?? undefined)}
        onFinish={(values) => {
          setProblems([]);
          save.mutate(values);
        }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="sku" label={t('catalog.sku')} rules={[required(t('catalog.sku'))]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('catalog.name')} rules={[required(t('catalog.name'))]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="brand" label={t('catalog.brand')} rules={[required(t('catalog.brand'))]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="series" label={t('catalog.series')}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="aroma" label={t('catalog.aroma')} rules={[required(t('catalog.aroma'))]}>
              <Select options={AROMAS.map((a) => ({ value: a, label: t(`common:aromas.${a}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="price"
              label={t('catalog.price')}
              rules={[
                required(t('catalog.price')),
                {
                  validator: (_, value: string) =>
                    !value || parseYuanToFen(value) !== null
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('catalog.priceInvalid'))),
                },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="abv" label={t('catalog.abv')} rules={[required(t('catalog.abv'))]}>
              <InputNumber min={0.1} max={100} step={0.1} precision={1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="volumeMl" label={t('catalog.volumeMl')} rules={[required(t('catalog.volumeMl'))]}>
              <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="vintage" label={t('catalog.vintage')}>
              <InputNumber min={1900} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="active" label={t('catalog.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </EditModal>
  );
}

type ActiveFilter = 'all' | 'active' | 'inactive';

export default function CatalogPage() {
  const { t } = useTranslation(['admin', 'common']);
  const [q, setQ] = useState('');
  const [aroma, setAroma] = useState<Aroma | undefined>();
  const [brand, setBrand] = useState<string | undefined>();
  const [active, setActive] = useState<ActiveFilter>('all');
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const query: ProductQuery = {
    q: q || undefined,
    aroma,
    brand,
    active: active === 'all' ? undefined : active === 'active',
  };
  const list = useQuery({
    queryKey: adminKeys.products(query),
    queryFn: () => productsApi.list(query),
    placeholderData: keepPreviousData,
  });
  // Brands for the filter come from the whole catalog.
  const everything = useQuery({ queryKey: adminKeys.products(), queryFn: () => productsApi.list() });
  const brands = [...new Set((everything.data?.items ?? []).map((p) => p.brand))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN'),
  );

  const columns: TableColumnsType<Product> = [
    {
      title: t('catalog.sku'),
      dataIndex: 'sku',
      width: 150,
      fixed: 'left',
      render: (sku: string) => <Typography.Text code>{sku}</Typography.Text>,
    },
    { title: t('catalog.name'), dataIndex: 'name', width: 200 },
    { title: t('catalog.brand'), dataIndex: 'brand', width: 120 },
    { title: t('catalog.series'), dataIndex: 'series', width: 100, render: (s: string | null) => s || '—' },
    {
      title: t('catalog.aroma'),
      dataIndex: 'aroma',
      width: 100,
      render: (a: Aroma) => <Tag color="volcano">{t(`common:aromas.${a}`)}</Tag>,
    },
    { title: t('catalog.abvShort'), dataIndex: 'abv', width: 80, align: 'right', render: (v: number) => `${v}%` },
    {
      title: t('catalog.volumeShort'),
      dataIndex: 'volumeMl',
      width: 80,
      align: 'right',
      render: (v: number) => `${v} ml`,
    },
    {
      title: t('catalog.priceShort'),
      dataIndex: 'priceFen',
      width: 120,
      align: 'right',
      sorter: (a, b) => a.priceFen - b.priceFen,
      render: (fen: number) => formatFen(fen),
    },
    { title: t('catalog.vintage'), dataIndex: 'vintage', width: 80, render: (v: number | null) => v ?? '—' },
    {
      title: t('status'),
      dataIndex: 'active',
      width: 80,
      render: (v: boolean) => <Badge status={v ? 'success' : 'default'} text={v ? t('active') : t('inactive')} />,
    },
    {
      title: t('actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, product) => (
        <Button
          type="link"
          size="small"
          onClick={() => setEditing(product)}
          aria-label={`${t('common:edit')} ${product.sku}`}
        >
          {t('common:edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('catalog.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('catalog.create')}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('catalog.search')}
            aria-label={t('catalog.search')}
            style={{ width: 240 }}
            onSearch={(value) => setQ(value.trim())}
          />
          <Select<Aroma>
            allowClear
            placeholder={t('catalog.filterAroma')}
            aria-label={t('catalog.filterAroma')}
            style={{ width: 140 }}
            value={aroma}
            onChange={setAroma}
            options={AROMAS.map((a) => ({ value: a, label: t(`common:aromas.${a}`) }))}
          />
          <Select<string>
            allowClear
            showSearch
            placeholder={t('catalog.filterBrand')}
            aria-label={t('catalog.filterBrand')}
            style={{ width: 160 }}
            value={brand}
            onChange={setBrand}
            options={brands.map((b) => ({ value: b, label: b }))}
          />
          <Select<ActiveFilter>
            aria-label={t('catalog.filterActive')}
            style={{ width: 120 }}
            value={active}
            onChange={setActive}
            options={[
              { value: 'all', label: t('all') },
              { value: 'active', label: t('active') },
              { value: 'inactive', label: t('inactive') },
            ]}
          />
        </Space>
        {list.isError && (
          <ErrorAlert title={t('common:loadFailed')} error={list.error} onRetry={() => list.refetch()} />
        )}
        <Table<Product>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1200 }}
          pagination={{
            pageSize: 20,
            hideOnSinglePage: true,
            showSizeChanger: false,
            showTotal: (total) => t('catalog.count', { count: total }),
          }}
        />
      </Space>
      {editing && <ProductModal product={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
