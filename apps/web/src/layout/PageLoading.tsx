import { useTranslation } from 'react-i18next';

// Shown while a page's chunk or the session loads; plain markup so the login route stays small.
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite" style={{ padding: 48, textAlign: 'center', color: '#888' }}>
      {t('loading')}
    </div>
  );
}
