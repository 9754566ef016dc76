import { PageHeader } from '@/components/page-header'
import { OverviewDashboard } from '@/features/overview'

export function OverviewPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Pool health and traffic at a glance." />
      <OverviewDashboard />
    </div>
  )
}
