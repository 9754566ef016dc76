import { ACCOUNT_HISTORY_RANGES, type AccountHistoryRange } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense, useState } from 'react'
import { QueryError } from '@/components/query-error'
import { Card, CardAction, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { accountHistoryQuery } from '../queries'
import { AccountErrors } from './account-errors'
import { TrafficShare } from './traffic-share'

// The chart library is its own chunk: the accounts list shares this feature's code and stays light.
const WindowHistoryChart = lazy(() =>
  import('./window-history-chart').then((m) => ({ default: m.WindowHistoryChart })),
)

const RANGE_LABELS: Record<AccountHistoryRange, string> = {
  '24h': '24 h',
  '7d': '7 days',
  '30d': '30 days',
}

function isRange(value: string): value is AccountHistoryRange {
  return (ACCOUNT_HISTORY_RANGES as readonly string[]).includes(value)
}

/** The account's window history and share of traffic over a chosen range, and its last errors. */
export function AccountHistoryPanel({ accountId }: { accountId: string }) {
  const [range, setRange] = useState<AccountHistoryRange>('24h')
  const history = useQuery(accountHistoryQuery(accountId, range))
  const rangePicker = (
    <Tabs value={range} onValueChange={(v) => isRange(v) && setRange(v)}>
      <TabsList aria-label="Range">
        {ACCOUNT_HISTORY_RANGES.map((r) => (
          <TabsTrigger key={r} value={r}>
            {RANGE_LABELS[r]}
          </TabsTrigger>
        ))}
      </TabsList>
    </Tabs>
  )
  if (history.isError) {
    return (
      <Card>
        <QueryError
          error={history.error}
          what="account history"
          onRetry={() => void history.refetch()}
        />
      </Card>
    )
  }
  const data = history.data
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle>Quota windows</CardTitle>
          <CardAction>{rangePicker}</CardAction>
        </CardHeader>
        <CardContent>
          <Suspense fallback={<Skeleton className="h-64 w-full" />}>
            {data ? <WindowHistoryChart history={data} /> : <Skeleton className="h-64 w-full" />}
          </Suspense>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Share of traffic</CardTitle>
          <p className="text-sm text-muted-foreground">
            This account beside all accounts, last {RANGE_LABELS[range]}.
          </p>
        </CardHeader>
        <CardContent>
          {data ? <TrafficShare traffic={data.traffic} /> : <Skeleton className="h-20 w-full" />}
        </CardContent>
      </Card>
      <Card className="gap-0 pb-0 lg:col-span-3">
        <CardHeader className="pb-4">
          <CardTitle>Last errors</CardTitle>
        </CardHeader>
        {data ? <AccountErrors errors={data.recentErrors} /> : <Skeleton className="m-6 h-24" />}
      </Card>
    </div>
  )
}
