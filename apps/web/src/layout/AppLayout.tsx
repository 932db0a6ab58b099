import {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CommentOutlined,
  CustomerServiceOutlined,
  FileTextOutlined,
  FormOutlined,
  GiftOutlined,
  HomeOutlined,
  ImportOutlined,
  LogoutOutlined,
  MenuOutlined,
  PieChartOutlined,
  ScheduleOutlined,
  SettingOutlined,
  StarOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';

import { holidayKeys, holidaysApi } from '../api/holidays';
import type { Role } from '../api/types';
import { useSession } from '../auth/session';
import { queryClient } from './query-client';

type Item =
  | { key: string; icon: React.ReactNode; label: string; roles?: Role[] }
  | { group: string; roles: Role[]; children: Item[] };

// The menu a role sees; pages also check the role themselves.
function menuItems(t: (k: string) => string): Item[] {
  return [
    { key: '/', icon: <HomeOutlined />, label: t('nav.today') },
    { key: '/clients', icon: <UserOutlined />, label: t('nav.clients') },
    { key: '/cases', icon: <CustomerServiceOutlined />, label: t('nav.cases') },
    {
      group: t('nav.manager'),
      roles: ['manager', 'admin'],
      children: [
        { key: '/manager/scorecard', icon: <BarChartOutlined />, label: t('nav.scorecard') },
        { key: '/manager/surveys', icon: <StarOutlined />, label: t('nav.surveys') },
        { key: '/manager/comment-themes', icon: <CommentOutlined />, label: t('nav.commentThemes') },
        { key: '/manager/satisfaction', icon: <PieChartOutlined />, label: t('nav.satisfaction') },
        { key: '/manager/churn', icon: <AlertOutlined />, label: t('nav.churn') },
        { key: '/manager/root-causes', icon: <PieChartOutlined />, label: t('nav.rootCauses') },
        { key: '/manager/follow-ups', icon: <CalendarOutlined />, label: t('nav.followUps') },
        { key: '/manager/campaigns', icon: <GiftOutlined />, label: t('nav.campaigns') },
        { key: '/manager/survey-programs', icon: <FormOutlined />, label: t('nav.surveyPrograms') },
        { key: '/manager/wecom-transfers', icon: <SwapOutlined />, label: t('nav.wecomTransfers') },
      ],
    },
    {
      group: t('nav.admin'),
      roles: ['manager', 'admin'],
      children: [
        { key: '/admin/users', icon: <TeamOutlined />, label: t('nav.users'), roles: ['admin'] },
        { key: '/admin/catalog', icon: <AppstoreOutlined />, label: t('nav.catalog') },
        { key: '/admin/templates', icon: <FileTextOutlined />, label: t('nav.templates'), roles: ['admin'] },
        { key: '/admin/settings', icon: <SettingOutlined />, label: t('nav.settings'), roles: ['admin'] },
        { key: '/admin/import', icon: <ImportOutlined />, label: t('nav.import') },
        { key: '/admin/holidays', icon: <ScheduleOutlined />, label: t('nav.holidays') },
        { key: '/admin/webhooks', icon: <ApiOutlined />, label: t('nav.webhooks'), roles: ['admin'] },
      ],
    },
  ];
}

function toMenu(items: Item[], role: Role): MenuProps['items'] {
  return items
    .filter((i) => !i.roles || i.roles.includes(role))
    .map((i) =>
      'group' in i
        ? { type: 'group' as const, key: i.group, label: i.group, children: toMenu(i.children, role) }
        : { key: i.key, icon: i.icon, label: i.label },
    );
}

// From 1 November, while next year's 调休 schedule is unknown, admins are reminded to enter it.
function HolidayReminder() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useQuery({ queryKey: holidayKeys.nextYear, queryFn: holidaysApi.nextYear, staleTime: 3_600_000 });
  if (!status.data?.reminder) return null;
  const { year } = status.data;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('holidayReminder', { year })}
      action={
        <Button size="small" onClick={() => void navigate(`/admin/holidays?year=${year}`)}>
          {t('holidayReminderAction')}
        </Button>
      }
    />
  );
}

// The frame of every signed-in page: a side menu on a laptop, a drawer on a phone.
export default function AppLayout() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  useEffect(() => () => queryClient.clear(), []);
  const narrow = !screens.lg;
  const selected =
    '/' +
    location.pathname
      .split('/')
      .filter(Boolean)
      .slice(0, location.pathname.startsWith('/manager') || location.pathname.startsWith('/admin') ? 2 : 1)
      .join('/');
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={toMenu(menuItems(t), user!.role)}
      onClick={({ key }) => {
        setDrawer(false);
        void navigate(key);
      }}
    />
  );
  // AntApp gives pages message/notification/modal hooks (App.useApp()).
  return (
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <Layout style={{ minHeight: '100vh' }}>
          {!narrow && (
            <Layout.Sider width={208} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
              <div style={{ padding: '16px 24px', fontWeight: 600, fontSize: 18, color: '#7a1f1f' }}>
                {t('appName')}
              </div>
              <nav aria-label={t('appName')}>{menu}</nav>
            </Layout.Sider>
          )}
          <Layout>
            <Layout.Header
              style={{
                background: '#fff',
                padding: '0 16px',
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'space-between',
                borderBottom: '1px solid #f0f0f0',
              }}
            >
              <Space>
                {narrow && (
                  <Button type="text" icon={<MenuOutlined />} aria-label="菜单" onClick={() => setDrawer(true)} />
                )}
                {narrow && (
                  <Typography.Text strong style={{ color: '#7a1f1f' }}>
                    {t('appName')}
                  </Typography.Text>
                )}
              </Space>
              <Space size="small">
                <Typography.Text>{user!.name}</Typography.Text>
                <Tag color="red">{t(`roles.${user!.role}`)}</Tag>
                <Button
                  type="text"
                  icon={<LogoutOutlined />}
                  onClick={() => {
                    logout();
                    void navigate('/login', { replace: true });
                  }}
                >
                  {narrow ? null : t('logout')}
                </Button>
              </Space>
            </Layout.Header>
            <Layout.Content style={{ padding: narrow ? 12 : 24 }}>
              {user!.role === 'admin' && <HolidayReminder />}
              <Outlet />
            </Layout.Content>
          </Layout>
          <Drawer
            open={drawer}
            onClose={() => setDrawer(false)}
            placement="left"
            size={240}
            title={t('appName')}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        </Layout>
      </AntApp>
    </QueryClientProvider>
  );
}
