import { PageHeader } from '@/components/page-header'

export function AccountsPage() {
  return <PageHeader title="AccountsPage" />
}
