import { ComponentType, ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';

import type { Role } from './api/types';
import { SessionProvider, useSession } from './auth/session';
import i18n from './i18n';
import { PageLoading } from './layout/PageLoading';

// Every page is its own chunk, and so is the signed-in frame: the login route loads only what
// login needs (see scripts/web-budget.js). Routes load through the router's `lazy`, not
// React.lazy: on a navigation the router fetches the frame, the page, its guard and its
// translations at once and renders when all are there, instead of suspending once per level
// (React holds each revealed fallback for 300 ms).
type Module = Promise<{ default: ComponentType }>;

function page(load: () => Module, namespaces: string[] = [], roles?: Role[]) {
  return async (): Promise<{ Component: ComponentType }> => {
    const [{ default: Page }, guard] = await Promise.all([
      load(),
      roles ? import('./layout/RequireRole') : Promise.resolve(null),
      i18n.loadNamespaces(namespaces),
    ]);
    if (!roles || !guard) return { Component: Page };
    const Guard = guard.default;
    return {
      Component: () => (
        <Guard roles={roles}>
          <Page />
        </Guard>
      ),
    };
  };
}

function Root() {
  return (
    <SessionProvider>
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </SessionProvider>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, expired } = useSession();
  const location = useLocation();
  if (loading) return <PageLoading />;
  if (!user)
    return (
      <Navigate
        to={`/login?${expired ? 'expired=1&' : ''}next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  return children;
}

const managers: Role[] = ['manager', 'admin'];
const admins: Role[] = ['admin'];

export const router = createBrowserRouter([
  {
    element: <Root />,
    HydrateFallback: PageLoading,
    children: [
      { path: '/login', lazy: page(() => import('./pages/LoginPage')) },
      // WeCom's chat toolbar page: signed in by WeCom, no console frame around it.
      { path: '/wecom/sidebar', lazy: page(() => import('./pages/wecom/SidebarPage'), ['wecom']) },
      {
        lazy: async () => {
          const { default: AppLayout } = await import('./layout/AppLayout');
          return {
            Component: () => (
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            ),
          };
        },
        children: [
          { index: true, lazy: page(() => import('./pages/today/TodayPage'), ['today', 'clients']) },
          { path: 'clients', lazy: page(() => import('./pages/clients/ClientsPage'), ['clients', 'today']) },
          { path: 'clients/:id', lazy: page(() => import('./pages/clients/ClientDetailPage'), ['clients', 'today']) },
          { path: 'cases', lazy: page(() => import('./pages/cases/CasesPage'), ['cases', 'clients']) },
          {
            path: 'manager/scorecard',
            lazy: page(() => import('./pages/manager/ScorecardPage'), ['manager', 'clients'], managers),
          },
          {
            path: 'manager/surveys',
            lazy: page(() => import('./pages/manager/SurveyResponsesPage'), ['surveys'], managers),
          },
          {
            path: 'manager/comment-themes',
            lazy: page(() => import('./pages/manager/CommentThemesPage'), ['surveys'], managers),
          },
          {
            path: 'manager/satisfaction',
            lazy: page(() => import('./pages/manager/SatisfactionPage'), ['manager'], managers),
          },
          {
            path: 'manager/churn',
            lazy: page(() => import('./pages/manager/ChurnPage'), ['manager', 'clients'], managers),
          },
          {
            path: 'manager/root-causes',
            lazy: page(() => import('./pages/manager/RootCausesPage'), ['manager', 'today', 'cases'], managers),
          },
          {
            path: 'manager/follow-ups',
            lazy: page(() => import('./pages/manager/AssignPage'), ['manager', 'clients'], managers),
          },
          {
            path: 'manager/wecom-transfers',
            lazy: page(() => import('./pages/manager/WecomTransfersPage'), ['wecom'], managers),
          },
          {
            path: 'manager/survey-programs',
            lazy: page(() => import('./pages/manager/SurveyProgramsPage'), ['manager'], managers),
          },
          {
            path: 'manager/campaigns',
            lazy: page(() => import('./pages/manager/CampaignsPage'), ['manager', 'clients'], managers),
          },
          { path: 'admin/users', lazy: page(() => import('./pages/admin/UsersPage'), ['admin'], admins) },
          { path: 'admin/catalog', lazy: page(() => import('./pages/admin/CatalogPage'), ['admin'], managers) },
          { path: 'admin/templates', lazy: page(() => import('./pages/admin/TemplatesPage'), ['admin'], admins) },
          { path: 'admin/settings', lazy: page(() => import('./pages/admin/SettingsPage'), ['admin'], admins) },
          { path: 'admin/holidays', lazy: page(() => import('./pages/admin/HolidaysPage'), ['admin'], managers) },
          { path: 'admin/webhooks', lazy: page(() => import('./pages/admin/WebhooksPage'), ['admin'], admins) },
          { path: 'admin/import', lazy: page(() => import('./pages/admin/ImportExportPage'), ['admin'], managers) },
          { path: '*', lazy: page(() => import('./layout/NotFound')) },
        ],
      },
    ],
  },
]);
