import { DownloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';

import { saveBlob } from '../api/admin';
import { ExportFormat, ExportKind, ExportPeriod, fetchExport } from '../api/exports';
import { errorText } from './formErrors';

// 导出: the page's records (what the signed-in user may see) as CSV or an Excel workbook.
export function ExportMenu({ kind, period, label }: { kind: ExportKind; period?: ExportPeriod; label?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const download = useMutation({
    mutationFn: (format: ExportFormat) => fetchExport(kind, format, period),
    onSuccess: ({ filename, blob }) => {
      saveBlob(blob, filename);
      message.success(t('export.done', { filename }));
    },
    onError: (error) => message.error(errorText(error)),
  });
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: t('export.xlsx') },
          { key: 'csv', label: t('export.csv') },
        ],
        onClick: ({ key }) => download.mutate(key as ExportFormat),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={download.isPending} aria-label={label ?? t('export.button')}>
        {label ?? t('export.button')}
      </Button>
    </Dropdown>
  );
}
