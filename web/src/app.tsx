import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useState } from 'react'
import { Toaster } from 'sonner'
import { Redirect, Route, Router, Switch } from 'wouter'
import { AppShell } from '@/components/app-shell'
import { ThemeProvider, useTheme } from '@/components/theme-provider'
import { Skeleton } from '@/components/ui/skeleton'
import { AuthGate, LogoutButton, OpenModeBanner } from '@/features/auth'
import { createQueryClient } from '@/lib/query-client'

// Pages load on demand so the charts library is only fetched by the pages that draw charts.
const OverviewPage = lazy(() =>
  import('@/routes/overview').then((m) => ({ default: m.OverviewPage })),
)
const AccountsPage = lazy(() =>
  import('@/routes/accounts').then((m) => ({ default: m.AccountsPage })),
)
const AccountPage = lazy(() => import('@/routes/account').then((m) => ({ default: m.AccountPage })))
const RequestLogsPage = lazy(() =>
  import('@/routes/request-logs').then((m) => ({ default: m.RequestLogsPage })),
)
const ApiKeysPage = lazy(() =>
  import('@/routes/api-keys').then((m) => ({ default: m.ApiKeysPage })),
)
const ReportsPage = lazy(() => import('@/routes/reports').then((m) => ({ default: m.ReportsPage })))
const AuditPage = lazy(() => import('@/routes/audit').then((m) => ({ default: m.AuditPage })))
const SettingsPage = lazy(() =>
  import('@/routes/settings').then((m) => ({ default: m.SettingsPage })),
)

function PageFallback() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-40 w-full" />
    </div>
  )
}

function ThemedToaster() {
  const { resolved } = useTheme()
  return <Toaster theme={resolved} position="bottom-right" richColors closeButton />
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageFallback />}>
      <Switch>
        <Route path="/" component={OverviewPage} />
        <Route path="/dashboard">
          <Redirect to="/" replace />
        </Route>
        <Route path="/accounts" component={AccountsPage} />
        <Route path="/accounts/:id" component={AccountPage} />
        <Route path="/logs" component={RequestLogsPage} />
        <Route path="/request-logs">
          <Redirect to="/logs" replace />
        </Route>
        <Route path="/reports" component={ReportsPage} />
        <Route path="/api-keys" component={ApiKeysPage} />
        <Route path="/audit" component={AuditPage} />
        <Route path="/settings" component={SettingsPage} />
        <Route>
          <Redirect to="/" replace />
        </Route>
      </Switch>
    </Suspense>
  )
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient())
  return (
    <ThemeProvider>
      <QueryClientProvider client={client}>
        <Router>
          <AuthGate>
            <AppShell footer={<LogoutButton />} banner={<OpenModeBanner />}>
              <AppRoutes />
            </AppShell>
          </AuthGate>
        </Router>
        <ThemedToaster />
      </QueryClientProvider>
    </ThemeProvider>
  )
}
