import { PageHeader } from '@/components/page-header'
import { ApiKeysManager } from '@/features/api-keys'
import { ApiKeyAuthNotice } from '@/features/settings'

export function ApiKeysPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description="Keys for clients of the proxy, with optional model access and usage limits."
      />
      <ApiKeyAuthNotice />
      <ApiKeysManager />
    </div>
  )
}
