import { PageHeader } from '@/components/page-header'
import { AccountsManager } from '@/features/accounts'

export function AccountsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Accounts"
        description="ChatGPT accounts in the pool, their remaining quota and token state."
      />
      <AccountsManager />
    </div>
  )
}
