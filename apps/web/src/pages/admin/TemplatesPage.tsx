import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useRef, useState, type ChangeEvent, type FocusEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import {
  adminKeys,
  customersApi,
  OCCASIONS,
  templatesApi,
  type Occasion,
  type Placeholders,
  type Template,
  type TemplateBody,
} from '../../api/admin';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { showApiError } from './apiErrors';
import { EditModal } from './EditModal';
import { insertPlaceholder } from './placeholders';

const TEMPLATE_FIELDS = ['name', 'occasion', 'subject', 'body', 'isDefault', 'active'] as const;
type TextField = 'subject' | 'body';

function TemplateModal({
  template,
  placeholders,
  onClose,
}: {
  template: Template | null;
  placeholders: Placeholders;
  onClose: () => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TemplateBody>();
  const [problems, setProblems] = useState<string[]>([]);
  // Where the caret was in the subject or body when it last had focus: a placeholder goes there.
  const caret = useRef<{ field: TextField; start: number; end: number }>({ field: 'body', start: -1, end: -1 });
  const fields = useRef<Partial<Record<TextField, HTMLInputElement | HTMLTextAreaElement | null>>>({});
  const track =
    (field: TextField) =>
    (
      event:
        | SyntheticEvent<HTMLInputElement | HTMLTextAreaElement>
        | FocusEvent<HTMLInputElement | HTMLTextAreaElement>
        | ChangeEvent<HTMLInputElement | HTMLTextAreaElement>,
    ) => {
      const el = event.currentTarget ?? event.target;
      fields.current[field] = el;
      caret.current = { field, start: el.selectionStart ?? el.value.length, end: el.selectionEnd ?? el.value.length };
    };

  const insert = (key: string) => {
    const { field, start, end } = caret.current;
    const current = (form.getFieldValue(field) as string | undefined) ?? '';
    const { text, caret: at } = insertPlaceholder(current, key, start, end);
    form.setFieldValue(field, text);
    caret.current = { field, start: at, end: at };
    const el = fields.current[field];
    if (el) {
      // After React has written the new value.
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(at, at);
      });
    }
  };

  const save = useMutation({
    mutationFn: (values: TemplateBody) => {
      if (!template) return templatesApi.create(values);
      const { occasion: _fixed, ...rest } = values;
      return templatesApi.update(template.id, rest);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.templates });
      message.success(t(template ? 'templates.updated' : 'templates.created', { name: saved.name }));
      onClose();
    },
    onError: (error) => setProblems(showApiError(form, error, { known: TEMPLATE_FIELDS })),
  });
  const required = (label: string) => ({ required: true, message: t('requiredField', { label }) });
  const initialValues: Partial<TemplateBody> = template
    ? {
        name: template.name,
        occasion: template.occasion,
        subject: template.subject,
        body: template.body,
        isDefault: template.isDefault,
        active: template.active,
      }
    : { occasion: 'mid_autumn', isDefault: false, active: true, subject: '', body: '' };

  return (
    <EditModal
      title={template ? t('templates.editTitle', { name: template.name }) : t('templates.createTitle')}
      width={720}
      saving={save.isPending}
      problems={problems}
      onSave={() => form.submit()}
      onClose={onClose}
    >
      <Form<TemplateBody>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => {
          setProblems([]);
          save.mutate(values);
        }}
      >
        <Form.Item name="name" label={t('templates.name')} rules={[required(t('templates.name'))]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="occasion"
          label={t('templates.occasion')}
          extra={template ? t('templates.occasionFixed') : undefined}
          rules={[required(t('templates.occasion'))]}
        >
          <Select
            disabled={!!template}
            options={OCCASIONS.map((o) => ({ value: o, label: t(`common:greetingOccasions.${o}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('templates.placeholders')}>
          <Space wrap size={[4, 4]} role="group" aria-label={t('templates.placeholders')}>
            {Object.entries(placeholders).map(([key, description]) => (
              <Tooltip key={key} title={description}>
                <Button
                  size="small"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(key)}
                  aria-label={`{{${key}}} ${description}`}
                >
                  {`{{${key}}}`}
                </Button>
              </Tooltip>
            ))}
          </Space>
        </Form.Item>
        <Form.Item name="subject" label={t('templates.subject')} rules={[required(t('templates.subject'))]}>
          <Input
            autoComplete="off"
            onFocus={track('subject')}
            onSelect={track('subject')}
            onKeyUp={track('subject')}
            onClick={track('subject')}
            onBlur={track('subject')}
          />
        </Form.Item>
        <Form.Item name="body" label={t('templates.body')} rules={[required(t('templates.body'))]}>
          <Input.TextArea
            autoSize={{ minRows: 6, maxRows: 16 }}
            onFocus={track('body')}
            onSelect={track('body')}
            onKeyUp={track('body')}
            onClick={track('body')}
            onBlur={track('body')}
          />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="isDefault" label={t('templates.isDefault')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={t('templates.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </EditModal>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function PreviewDrawer({ template, onClose }: { template: Template; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'common']);
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim(), 250);
  const [customerId, setCustomerId] = useState<string | undefined>();
  const clients = useQuery({
    queryKey: adminKeys.customerSearch(term),
    queryFn: () => customersApi.search(term),
    enabled: term.length > 0,
  });
  const preview = useQuery({
    queryKey: adminKeys.preview(template.id, customerId),
    queryFn: () => templatesApi.preview(template.id, customerId),
  });
  return (
    <Drawer
      open
      onClose={onClose}
      size={560}
      title={t('templates.previewTitle', { name: template.name })}
      styles={{ wrapper: { maxWidth: '100vw' } }}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Typography.Text strong>{t('templates.previewClient')}</Typography.Text>
          <Select<string>
            showSearch
            allowClear
            filterOption={false}
            style={{ width: '100%', marginTop: 8 }}
            placeholder={t('templates.previewClientHint')}
            aria-label={t('templates.previewClient')}
            value={customerId}
            onSearch={setSearch}
            onChange={setCustomerId}
            notFoundContent={clients.isFetching ? <Spin size="small" /> : null}
            options={(clients.data?.items ?? []).map((c) => ({
              value: c.id,
              label: [c.name, c.mobile, c.city].filter(Boolean).join(' · '),
            }))}
          />
        </div>
        {preview.isError && <ErrorAlert error={preview.error} />}
        <Spin spinning={preview.isFetching}>
          <Descriptions
            bordered
            column={1}
            size="small"
            data-testid="template-preview"
            items={[
              { key: 'subject', label: t('templates.previewSubject'), children: preview.data?.subject ?? '' },
              {
                key: 'body',
                label: t('templates.previewBody'),
                children: (
                  <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{preview.data?.text ?? ''}</div>
                ),
              },
            ]}
          />
        </Spin>
      </Space>
    </Drawer>
  );
}

export default function TemplatesPage() {
  const { t } = useTranslation(['admin', 'common']);
  const list = useQuery({ queryKey: adminKeys.templates, queryFn: templatesApi.list });
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [previewing, setPreviewing] = useState<Template | null>(null);
  const [search, setSearch] = useState('');
  const [occasion, setOccasion] = useState<Occasion | undefined>();
  const needle = search.trim().toLowerCase();
  const shown = (list.data?.items ?? []).filter(
    (tpl) =>
      (!occasion || tpl.occasion === occasion) &&
      (!needle || tpl.name.toLowerCase().includes(needle) || tpl.subject.toLowerCase().includes(needle)),
  );
  const columns: TableColumnsType<Template> = [
    {
      title: t('templates.name'),
      dataIndex: 'name',
      width: 200,
      fixed: 'left',
      render: (name: string, tpl) => (
        <Space size={4}>
          {name}
          {tpl.isDefault && <Tag color="red">{t('templates.defaultTag')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('templates.occasion'),
      dataIndex: 'occasion',
      width: 100,
      render: (o: Occasion) => t(`common:greetingOccasions.${o}`),
    },
    { title: t('templates.subject'), dataIndex: 'subject', width: 260, ellipsis: true },
    {
      title: t('status'),
      dataIndex: 'active',
      width: 80,
      render: (v: boolean) => <Badge status={v ? 'success' : 'default'} text={v ? t('active') : t('inactive')} />,
    },
    { title: t('updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('actions'),
      key: 'actions',
      width: 140,
      fixed: 'right',
      render: (_, tpl) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            onClick={() => setEditing(tpl)}
            aria-label={`${t('common:edit')} ${tpl.name}`}
          >
            {t('common:edit')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            onClick={() => setPreviewing(tpl)}
            aria-label={`${t('templates.preview')} ${tpl.name}`}
          >
            {t('templates.preview')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Card
      title={t('templates.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!list.data}>
          {t('templates.create')}
        </Button>
      }
    >
      {list.isError && <ErrorAlert title={t('common:loadFailed')} error={list.error} onRetry={() => list.refetch()} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('templates.search')}
          aria-label={t('templates.search')}
          style={{ width: 240 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Select<Occasion>
          allowClear
          placeholder={t('templates.filterOccasion')}
          aria-label={t('templates.filterOccasion')}
          style={{ width: 160 }}
          value={occasion}
          onChange={setOccasion}
          options={OCCASIONS.map((o) => ({ value: o, label: t(`common:greetingOccasions.${o}`) }))}
        />
      </Space>
      <Table<Template>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        columns={columns}
        dataSource={shown}
        scroll={{ x: 940 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      />
      {editing && list.data && (
        <TemplateModal
          template={editing === 'new' ? null : editing}
          placeholders={list.data.placeholders}
          onClose={() => setEditing(null)}
        />
      )}
      {previewing && <PreviewDrawer template={previewing} onClose={() => setPreviewing(null)} />}
    </Card>
  );
}
