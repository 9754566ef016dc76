import { useQuery } from '@tanstack/react-query'
import { PageHeader } from '@/components/page-header'
import { accountsQuery } from '@/features/accounts'
import { RequestLogsView } from '@/features/request-logs'

export function RequestLogsPage() {
  // Account emails label the rows; the logs themselves only carry account ids.
  const accounts = useQuery(accountsQuery())
  return (
    <div className="space-y-6">
      <PageHeader
        title="Request logs"
        description="Every proxied request: which account served it, tokens, cost and errors."
      />
      <RequestLogsView accounts={accounts.data} />
    </div>
  )
}
