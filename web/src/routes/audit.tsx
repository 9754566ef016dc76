import { PageHeader } from '@/components/page-header'
import { AuditView } from '@/features/audit'

export function AuditPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Who signed in and what changed: accounts, API keys, settings and the dashboard password."
      />
      <AuditView />
    </div>
  )
}
