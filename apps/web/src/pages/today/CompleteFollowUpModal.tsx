import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys } from '../../api/customers';
import { CompleteBody, CONTACT_CHANNELS, FollowUp, followUpKeys, followUpsApi, OUTCOMES } from '../../api/follow-ups';
import { showApiErrors } from '../../components/formErrors';
import { surveyMessage } from './completeFollowUp';

// Complete a follow-up: how it went, through which channel, a note. The API logs the contact and
// may invite the client to a survey; the butler is told which.
export default function CompleteFollowUpModal({ followUp, onClose }: { followUp: FollowUp | null; onClose(): void }) {
  const { t } = useTranslation('today');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CompleteBody>();
  const [general, setGeneral] = useState<string[]>([]);

  const complete = useMutation({
    mutationFn: (body: CompleteBody) =>
      followUpsApi.complete(followUp!.id, { ...body, note: body.note?.trim() || undefined }),
    onSuccess: (done) => {
      message.success(`${t('complete.done')}。${surveyMessage(done.survey, t)}`, 6);
      void queryClient.invalidateQueries({ queryKey: followUpKeys.all });
      void queryClient.invalidateQueries({ queryKey: customerKeys.timeline(done.customerId) });
      form.resetFields();
      setGeneral([]);
      onClose();
    },
    onError: (error) => setGeneral(showApiErrors(form, error)),
  });

  return (
    <Modal
      open={!!followUp}
      title={t('complete.title', { name: followUp?.customerName ?? '' })}
      okText={t('complete.submit')}
      onOk={() => form.submit()}
      confirmLoading={complete.isPending}
      onCancel={() => {
        setGeneral([]);
        onClose();
      }}
      destroyOnHidden
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Form<CompleteBody>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'reached', channel: 'phone' }}
        onFinish={(values) => complete.mutate(values)}
      >
        <Form.Item
          name="outcome"
          label={t('complete.outcome')}
          rules={[{ required: true, message: t('complete.outcomeRequired') }]}
        >
          <Radio.Group
            optionType="button"
            // Five choices wrap on a 390 px phone instead of widening the dialog.
            style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`complete.outcomes.${o}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="channel"
          label={t('complete.channel')}
          rules={[{ required: true, message: t('complete.channelRequired') }]}
        >
          <Select options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`complete.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('complete.note')}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('complete.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
