import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { errorText } from '../components/formErrors';

export default function LoginPage() {
  const { t } = useTranslation();
  const { user, login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(params.get('expired') ? t('login.expired') : null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next') ?? '/';
  if (user) return <Navigate to={next.startsWith('/') ? next : '/'} replace />;

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.email.trim(), values.password);
      void navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      setError(
        // 429s say how long (a locked account, too many sign-ins at once) from their code.
        e instanceof ApiError && e.status === 401 ? t('login.failed') : errorText(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f7f4ef', padding: 16 }}>
      {/* A plain panel, not Card: Card brings Tabs along and the login route has a size budget. */}
      <section
        style={{
          width: '100%',
          maxWidth: 380,
          background: '#fff',
          borderRadius: 8,
          padding: 24,
          boxShadow: '0 1px 2px rgba(0,0,0,.06)',
        }}
      >
        <Typography.Title level={3} style={{ color: '#7a1f1f', marginTop: 0 }}>
          {t('appFullName')}
        </Typography.Title>
        {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        <Form
          layout="vertical"
          onFinish={(v: { email: string; password: string }) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item label={t('login.email')} name="email" rules={[{ required: true, type: 'email' }]}>
            <Input autoComplete="username" autoFocus inputMode="email" />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </section>
    </main>
  );
}
