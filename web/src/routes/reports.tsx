import { PageHeader } from '@/components/page-header'
import { ReportsView } from '@/features/reports'

export function ReportsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Reports"
        description="Requests, tokens and cost per day, week or month, by API key, account or model."
      />
      <ReportsView />
    </div>
  )
}
