import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { tokenStore } from './api/client';
import i18n from './i18n';
import { prefetchSignedIn, router } from './routes';
import { theme } from './theme';

if (tokenStore.get()) {
  prefetchSignedIn(window.location.pathname);
  const area = { '/': 'today', '/clients': 'clients' }[window.location.pathname];
  if (area) void i18n.loadNamespaces(area);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme}>
      <RouterProvider router={router} />
    </ConfigProvider>
  </StrictMode>,
);
