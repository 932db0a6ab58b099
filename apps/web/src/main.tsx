import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';

import './i18n';

import { identify } from './pages/wecom/identify';
import { router } from './routes';
import { theme } from './theme';

// WeCom's chat toolbar page starts finding its client now, beside the loading of its code.
if (window.location.pathname === '/wecom/sidebar') identify().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme}>
      <RouterProvider router={router} />
    </ConfigProvider>
  </StrictMode>,
);
