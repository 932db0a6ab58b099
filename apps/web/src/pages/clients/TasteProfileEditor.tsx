import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Slider,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerKeys, customersApi, OCCASIONS, TasteProfile } from '../../api/customers';
import { AROMAS } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { showApiErrors } from '../../components/formErrors';
import { formatDateTime } from '../../lib/format';
import { fromTasteProfile, TasteFormValues, toTasteBody } from './tasteProfile';

// The taste profile: a slider per aroma (0–100 %), abv and price ranges, brands, occasions.
// Saving refreshes the recommendations, which rank on it.
export default function TasteProfileEditor({ customerId }: { customerId: string }) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const profile = useQuery({
    queryKey: customerKeys.taste(customerId),
    queryFn: () => customersApi.tasteProfile(customerId),
  });
  if (profile.isPending)
    return (
      <Card title={t('taste.title')} size="small">
        <Skeleton active />
      </Card>
    );
  if (profile.isError)
    return <ErrorAlert title={tc('loadFailed')} error={profile.error} onRetry={() => profile.refetch()} />;
  // Keyed by the saved version, so the form starts over from what the API stored.
  return <TasteForm key={profile.data.updatedAt ?? 'new'} customerId={customerId} profile={profile.data} />;
}

function TasteForm({ customerId, profile }: { customerId: string; profile: TasteProfile }) {
  const { t } = useTranslation('clients');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TasteFormValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const abvEnabled = Form.useWatch('abvEnabled', form);

  const save = useMutation({
    mutationFn: (values: TasteFormValues) => customersApi.putTasteProfile(customerId, toTasteBody(values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(customerKeys.taste(customerId), saved);
      void queryClient.invalidateQueries({ queryKey: customerKeys.recommendations(customerId) });
      void queryClient.invalidateQueries({ queryKey: customerKeys.timeline(customerId) });
      message.success(t('taste.saved'));
    },
    onError: (error) =>
      setGeneral(
        showApiErrors(form, error, (field) =>
          field === 'abvRange'
            ? ['abv']
            : field === 'priceRangeFen'
              ? ['priceMinYuan']
              : field.startsWith('aromas')
                ? null
                : field.split('.'),
        ),
      ),
  });

  return (
    <Card
      title={t('taste.title')}
      size="small"
      extra={
        profile.updatedAt && (
          <Typography.Text type="secondary">
            {t('taste.updatedAt', { time: formatDateTime(profile.updatedAt) })}
          </Typography.Text>
        )
      }
    >
      {general.length > 0 && <Alert type="error" showIcon title={general.join('；')} style={{ marginBottom: 12 }} />}
      <Form<TasteFormValues>
        form={form}
        layout="vertical"
        initialValues={fromTasteProfile(profile)}
        onFinish={(values) => {
          setGeneral([]);
          save.mutate(values);
        }}
      >
        <Typography.Title level={5}>{t('taste.aromas')}</Typography.Title>
        <Row gutter={24}>
          {AROMAS.map((aroma) => (
            <Col xs={24} sm={12} key={aroma}>
              <Form.Item label={tc(`aromas.${aroma}`)} style={{ marginBottom: 4 }}>
                <Form.Item name={['aromas', aroma]} noStyle>
                  <Slider
                    min={0}
                    max={100}
                    step={5}
                    ariaLabelForHandle={tc(`aromas.${aroma}`)}
                    tooltip={{ formatter: (v) => `${v ?? 0}%` }}
                  />
                </Form.Item>
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Row gutter={24}>
          <Col xs={24} md={12}>
            <Form.Item label={t('taste.abv')} style={{ marginBottom: 0 }}>
              <Form.Item name="abvEnabled" valuePropName="checked" noStyle>
                <Switch size="small" aria-label={t('taste.abvEnabled')} />
              </Form.Item>{' '}
              <Typography.Text type="secondary">{t('taste.abvEnabled')}</Typography.Text>
            </Form.Item>
            <Form.Item name="abv">
              <Slider
                range
                min={20}
                max={75}
                disabled={!abvEnabled}
                ariaLabelForHandle={[t('taste.abv'), t('taste.abv')]}
                tooltip={{ formatter: (v) => `${v ?? ''}%` }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('taste.price')} required={false}>
              <Space.Compact block>
                <Form.Item name="priceMinYuan" noStyle>
                  <InputNumber
                    min={0}
                    precision={2}
                    placeholder={t('taste.priceMin')}
                    aria-label={t('taste.priceMin')}
                    prefix="¥"
                    style={{ width: '50%' }}
                  />
                </Form.Item>
                <Form.Item name="priceMaxYuan" noStyle>
                  <InputNumber
                    min={0}
                    precision={2}
                    placeholder={t('taste.priceMax')}
                    aria-label={t('taste.priceMax')}
                    prefix="¥"
                    style={{ width: '50%' }}
                  />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="brands" label={t('taste.brands')}>
          <Select mode="tags" placeholder={t('taste.brandsPlaceholder')} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="occasions" label={t('taste.occasions')}>
          <Checkbox.Group options={OCCASIONS.map((o) => ({ value: o, label: t(`taste.occasionNames.${o}`) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('taste.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('taste.save')}
        </Button>
      </Form>
    </Card>
  );
}
