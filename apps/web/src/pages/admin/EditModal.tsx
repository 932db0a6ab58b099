import { Alert, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  width?: number;
  saving: boolean;
  // The API's messages that named no field of the form, shown above it.
  problems: string[];
  onSave: () => void;
  onClose: () => void;
  children: ReactNode;
}

// The create/edit dialog of the admin pages: save submits the form inside, cancel closes, and what
// the API said about no field in particular is shown on top.
export function EditModal({ title, width, saving, problems, onSave, onClose, children }: Props) {
  const { t } = useTranslation('common');
  return (
    <Modal
      open
      width={width}
      title={title}
      okText={t('save')}
      cancelText={t('cancel')}
      onCancel={onClose}
      onOk={onSave}
      confirmLoading={saving}
      destroyOnHidden
    >
      {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={problems.join('；')} />}
      {children}
    </Modal>
  );
}
