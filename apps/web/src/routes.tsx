import { lazy, ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from './api/types';
import { SessionProvider, useSession } from './auth/session';
import { PageLoading } from './layout/PageLoading';

// Every page is its own chunk, and so is the signed-in frame: the login route loads only what
// login needs (see scripts/web-budget.js).
const loadLayout = () => import('./layout/AppLayout');
const AppLayout = lazy(loadLayout);
const RequireRole = lazy(() => import('./layout/RequireRole'));
const NotFound = lazy(() => import('./layout/NotFound'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const loadToday = () => import('./pages/today/TodayPage');
const loadClients = () => import('./pages/clients/ClientsPage');
const TodayPage = lazy(loadToday);
const ClientsPage = lazy(loadClients);
const ClientDetailPage = lazy(() => import('./pages/clients/ClientDetailPage'));
const CasesPage = lazy(() => import('./pages/cases/CasesPage'));
const ScorecardPage = lazy(() => import('./pages/manager/ScorecardPage'));
const ChurnPage = lazy(() => import('./pages/manager/ChurnPage'));
const AssignPage = lazy(() => import('./pages/manager/AssignPage'));
const CampaignsPage = lazy(() => import('./pages/manager/CampaignsPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const CatalogPage = lazy(() => import('./pages/admin/CatalogPage'));
const TemplatesPage = lazy(() => import('./pages/admin/TemplatesPage'));
const SettingsPage = lazy(() => import('./pages/admin/SettingsPage'));
const ImportExportPage = lazy(() => import('./pages/admin/ImportExportPage'));

// A signed-in reload fetches the frame and the page's chunk at once instead of one after the
// other (the most visited pages; the rest load as the router reaches them).
export function prefetchSignedIn(pathname: string): void {
  void loadLayout();
  if (pathname === '/') void loadToday();
  else if (pathname === '/clients') void loadClients();
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
  if (!user) return <Navigate to={`/login?${expired ? 'expired=1&' : ''}next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}

const managers: Role[] = ['manager', 'admin'];
const admins: Role[] = ['admin'];
const only = (roles: Role[], page: ReactNode) => <RequireRole roles={roles}>{page}</RequireRole>;

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <TodayPage /> },
          { path: 'clients', element: <ClientsPage /> },
          { path: 'clients/:id', element: <ClientDetailPage /> },
          { path: 'cases', element: <CasesPage /> },
          { path: 'manager/scorecard', element: only(managers, <ScorecardPage />) },
          { path: 'manager/churn', element: only(managers, <ChurnPage />) },
          { path: 'manager/follow-ups', element: only(managers, <AssignPage />) },
          { path: 'manager/campaigns', element: only(managers, <CampaignsPage />) },
          { path: 'admin/users', element: only(admins, <UsersPage />) },
          { path: 'admin/catalog', element: only(managers, <CatalogPage />) },
          { path: 'admin/templates', element: only(admins, <TemplatesPage />) },
          { path: 'admin/settings', element: only(admins, <SettingsPage />) },
          { path: 'admin/import', element: only(managers, <ImportExportPage />) },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
