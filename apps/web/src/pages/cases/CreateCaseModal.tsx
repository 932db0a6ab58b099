import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';

import { Case, CASE_CHANNELS, CASE_PRIORITIES, CASE_TYPES, caseKeys, casesApi, CreateCaseBody } from '../../api/cases';
import { CustomerSelect } from '../../components/CustomerSelect';
import { applyApiErrors } from '../../components/formErrors';
import { formatDate, formatFen } from '../../lib/format';

type Values = Omit<CreateCaseBody, 'purchaseId'> & { purchaseId?: string | null };

// Opens a case: the client, optionally one of their purchases, what kind of problem, how urgent.
export function CreateCaseModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(c: Case): void;
}) {
  const { t } = useTranslation('cases');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const customerId = Form.useWatch('customerId', form);
  const purchases = useQuery({
    queryKey: ['customers', customerId, 'purchases'],
    queryFn: () => casesApi.purchases(customerId),
    enabled: !!customerId,
  });
  const create = useMutation({
    mutationFn: (v: Values) => casesApi.create({ ...v, purchaseId: v.purchaseId ?? undefined }),
    onSuccess: (created) => {
      void message.success(t('created'));
      form.resetFields();
      onClose();
      onCreated(created);
      return queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
    onError: (error) => {
      const rest = applyApiErrors(form, error, ['customerId', 'purchaseId', 'type', 'priority', 'channel', 'summary']);
      if (rest.length) void message.error(rest.join('; '));
    },
  });
  return (
    <Modal
      open={open}
      title={t('create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ priority: 'normal', channel: 'phone' }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="customerId"
          label={t('fields.customer')}
          rules={[{ required: true, message: t('required.customer') }]}
        >
          <CustomerSelect
            placeholder={t('placeholders.customer')}
            onPicked={() => form.setFieldValue('purchaseId', undefined)}
          />
        </Form.Item>
        <Form.Item name="purchaseId" label={t('fields.purchase')}>
          <Select
            allowClear
            disabled={!customerId}
            loading={purchases.isFetching}
            placeholder={t('fields.purchaseNone')}
            options={(purchases.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${formatDate(p.purchasedAt)} · ${p.orderRef} · ${formatFen(p.totalFen)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="type" label={t('fields.type')} rules={[{ required: true, message: t('required.type') }]}>
          <Select options={CASE_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
        </Form.Item>
        <Form.Item name="priority" label={t('fields.priority')}>
          <Select options={CASE_PRIORITIES.map((v) => ({ value: v, label: t(`priorities.${v}`) }))} />
        </Form.Item>
        <Form.Item
          name="channel"
          label={t('fields.channel')}
          rules={[{ required: true, message: t('required.channel') }]}
        >
          <Select options={CASE_CHANNELS.map((v) => ({ value: v, label: t(`channels.${v}`) }))} />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('fields.summary')}
          rules={[{ required: true, whitespace: true, message: t('required.summary') }]}
        >
          <Input.TextArea
            placeholder={t('placeholders.summary')}
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={500}
            showCount
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
