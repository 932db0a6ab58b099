import { DownloadOutlined, ExportOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tooltip,
  Typography,
  Upload,
  type TableColumnsType,
  type UploadProps,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import {
  adminKeys,
  CSV_ENCODINGS,
  fetchCustomersExport,
  saveBlob,
  uploadCustomersCsv,
  usersApi,
  type AdminUser,
  type CsvEncoding,
  type ExportQuery,
  type ImportResult,
} from '../../api/admin';
import { TIERS, type Tier } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { sampleCsv } from './csvColumns';
import { failureRows, importSummary, type FailureRow } from './importResult';

function ImportResultView({ result, fileName }: { result: ImportResult; fileName: string }) {
  const { t } = useTranslation('admin');
  const summary = importSummary(result);
  const rows = failureRows(result.failed);
  const columns: TableColumnsType<FailureRow> = [
    {
      title: (
        <Tooltip title={t('io.rowHelp')}>
          <span>{t('io.row')}</span>
        </Tooltip>
      ),
      dataIndex: 'row',
      width: 80,
    },
    {
      title: t('io.field'),
      dataIndex: 'column',
      width: 120,
      render: (column: string | null, row) =>
        column ? <Typography.Text title={row.field ?? undefined}>{column}</Typography.Text> : t('io.wholeRow'),
    },
    { title: t('io.message'), dataIndex: 'message' },
  ];
  const encoding = result.encoding === 'utf8' ? t('io.encodings.utf8') : t('io.encodings.gb18030');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-result">
      <Alert
        type={summary.failedRows > 0 ? 'warning' : 'success'}
        showIcon
        title={t('io.done', { created: summary.created, updated: summary.updated, failed: summary.failedRows })}
        description={`${fileName} · ${t('io.encodingUsed', { encoding })}`}
      />
      <Row gutter={[16, 16]}>
        {(['rows', 'created', 'updated', 'unchanged', 'failedRows'] as const).map((key) => (
          <Col key={key} xs={12} sm={8} md={4}>
            <Statistic
              title={t(`io.${key}`)}
              value={summary[key]}
              styles={key === 'failedRows' && summary.failedRows > 0 ? { content: { color: '#cf1322' } } : undefined}
            />
          </Col>
        ))}
      </Row>
      {rows.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('io.errorsTitle')}
          </Typography.Title>
          {summary.truncated && (
            <Typography.Text type="secondary">
              {t('io.errorsTruncated', { total: result.failedTotal, shown: result.failed.length })}
            </Typography.Text>
          )}
          <Table<FailureRow>
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={rows}
            scroll={{ x: 520 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="import-errors"
          />
        </>
      )}
    </Space>
  );
}

// The sample names one of the butlers this user may import for, so it imports as it is.
function ImportCard({ butlerEmail }: { butlerEmail?: string }) {
  const { t } = useTranslation(['admin', 'common']);
  const queryClient = useQueryClient();
  const [encoding, setEncoding] = useState<CsvEncoding>('auto');
  const [percent, setPercent] = useState(0);
  const [fileName, setFileName] = useState('');
  const abort = useRef<(() => void) | null>(null);
  useEffect(() => () => abort.current?.(), []);

  const upload = useMutation({
    mutationFn: (file: File) => {
      setPercent(0);
      setFileName(file.name);
      const request = uploadCustomersCsv(file, { encoding, onProgress: setPercent });
      abort.current = request.abort;
      return request.promise.finally(() => (abort.current = null));
    },
    // Client lists elsewhere in the console now show the imported rows.
    onSuccess: () => queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' }),
  });

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    upload.mutate(file as File, {
      onSuccess: (result) => onSuccess?.(result),
      onError: (error) => onError?.(error),
    });
  };

  return (
    <Card
      title={t('io.importTitle')}
      extra={
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            saveBlob(new Blob([sampleCsv(butlerEmail)], { type: 'text/csv;charset=utf-8' }), 'customers-sample.csv')
          }
        >
          {t('io.sample')}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Form layout="inline">
          <Form.Item label={t('io.encoding')} htmlFor="import-encoding">
            <Select<CsvEncoding>
              id="import-encoding"
              style={{ width: 220 }}
              value={encoding}
              onChange={setEncoding}
              disabled={upload.isPending}
              options={CSV_ENCODINGS.map((e) => ({ value: e, label: t(`io.encodings.${e}`) }))}
            />
          </Form.Item>
        </Form>
        <Upload.Dragger
          name="file"
          accept=".csv,text/csv"
          multiple={false}
          showUploadList={false}
          disabled={upload.isPending}
          customRequest={customRequest}
          data-testid="import-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('io.importHint')}</p>
          <p className="ant-upload-hint">{t('io.importHintSub')}</p>
        </Upload.Dragger>
        {upload.isPending && (
          <div role="status" aria-live="polite">
            <Typography.Text>
              {percent < 100 ? t('io.uploading', { name: fileName }) : t('io.processing')}
            </Typography.Text>
            <Progress percent={percent} status="active" aria-label={t('io.uploading', { name: fileName })} />
          </div>
        )}
        {upload.isError && <ErrorAlert title={t('io.failedUpload')} error={upload.error} />}
        {upload.isSuccess && <ImportResultView result={upload.data} fileName={fileName} />}
      </Space>
    </Card>
  );
}

interface ExportValues {
  tier?: Tier;
  butlerId?: string;
  tag?: string;
}

function ExportCard({ butlers }: { butlers: { isPending: boolean; data?: { items: AdminUser[] } } }) {
  const { t } = useTranslation(['admin', 'common']);
  const { message } = App.useApp();
  const download = useMutation({
    mutationFn: (query: ExportQuery) => fetchCustomersExport(query),
    onSuccess: ({ filename, blob }) => {
      saveBlob(blob, filename);
      message.success(t('io.exported', { filename }));
    },
  });
  return (
    <Card title={t('io.exportTitle')}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('io.exportHint')}</Typography.Text>
        <Form<ExportValues>
          layout="vertical"
          onFinish={(values) => download.mutate({ ...values, tag: values.tag?.trim() || undefined })}
        >
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name="butlerId" label={t('io.butler')}>
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  loading={butlers.isPending}
                  options={(butlers.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name="tier" label={t('io.tier')}>
                <Select allowClear options={TIERS.map((tier) => ({ value: tier, label: t(`common:tiers.${tier}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name="tag" label={t('io.tag')}>
                <Input allowClear maxLength={30} />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" icon={<ExportOutlined />} loading={download.isPending}>
            {t('io.exportButton')}
          </Button>
        </Form>
        {download.isError && <ErrorAlert error={download.error} onRetry={() => download.reset()} />}
      </Space>
    </Card>
  );
}

export default function ImportExportPage() {
  // Admins get every butler, managers their team.
  const butlers = useQuery({
    queryKey: adminKeys.users({ role: 'butler' }),
    queryFn: () => usersApi.list({ role: 'butler' }),
  });
  const firstButler = butlers.data?.items.find((b) => b.active)?.email;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <ImportCard butlerEmail={firstButler} />
      <ExportCard butlers={butlers} />
    </Space>
  );
}
