import { PageHeader } from '@/components/page-header'

export function RequestLogsPage() {
  return <PageHeader title="RequestLogsPage" />
}
