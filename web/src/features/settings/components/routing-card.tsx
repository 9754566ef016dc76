import { useQuery } from '@tanstack/react-query'
import { Route } from 'lucide-react'
import { QueryError } from '@/components/query-error'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { settingsQuery, useUpdateSettings } from '../queries'
import { RoutingStrategyField } from './routing-strategy-field'
import { SettingSwitchRow } from './setting-row'

export function RoutingCard() {
  const settings = useQuery(settingsQuery())
  const update = useUpdateSettings()
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Route className="size-4 text-muted-foreground" /> Routing
        </CardTitle>
        <CardDescription>How requests are spread over the account pool.</CardDescription>
      </CardHeader>
      <CardContent className="divide-y">
        {settings.isPending ? (
          <Skeleton className="h-20 w-full" />
        ) : settings.isError ? (
          <QueryError
            error={settings.error}
            what="settings"
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <>
            <RoutingStrategyField />
            <SettingSwitchRow
              id="sticky-threads"
              title="Sticky threads"
              description="Keep a conversation on the account that served it, so the upstream prompt cache keeps hitting."
              checked={settings.data.stickyThreadsEnabled}
              disabled={update.isPending}
              onCheckedChange={(v) => update.mutate({ stickyThreadsEnabled: v })}
            />
            <SettingSwitchRow
              id="prefer-earlier-reset"
              title="Prefer earlier reset"
              description="With Most remaining: use accounts whose weekly quota resets soonest first, so capacity that would expire unused is spent."
              checked={settings.data.preferEarlierResetAccounts}
              disabled={update.isPending}
              onCheckedChange={(v) => update.mutate({ preferEarlierResetAccounts: v })}
            />
          </>
        )}
      </CardContent>
    </Card>
  )
}
