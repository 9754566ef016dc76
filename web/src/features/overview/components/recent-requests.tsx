import type { AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { ArrowRight, ScrollText } from 'lucide-react'
import { useMemo } from 'react'
import { Link } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Card, CardAction, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { RequestLogsTable, recentRequestsQuery } from '@/features/request-logs'

export function RecentRequests({ accounts }: { accounts: AccountSummary[] | undefined }) {
  const recent = useQuery(recentRequestsQuery(8))
  const accountMap = useMemo(
    () => (accounts ? new Map(accounts.map((a) => [a.accountId, a])) : undefined),
    [accounts],
  )
  return (
    <Card className="gap-0 pb-0">
      <CardHeader className="pb-4">
        <CardTitle>Recent requests</CardTitle>
        <CardAction>
          <Link
            href="/logs"
            className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
          >
            All logs <ArrowRight className="size-3.5" />
          </Link>
        </CardAction>
      </CardHeader>
      {recent.isPending ? (
        <div className="space-y-2 px-5 pb-5">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : recent.isError ? (
        <QueryError error={recent.error} what="request logs" className="py-8" />
      ) : recent.data.requests.length === 0 ? (
        <EmptyState icon={ScrollText} title="No requests yet" className="py-8" />
      ) : (
        <div className="border-t">
          <RequestLogsTable requests={recent.data.requests} accounts={accountMap} compact />
        </div>
      )}
    </Card>
  )
}
