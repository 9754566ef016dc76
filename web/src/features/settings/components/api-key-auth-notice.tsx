import { useQuery } from '@tanstack/react-query'
import { Info } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { settingsQuery } from '../queries'
import { RequireApiKeysDialog } from './require-api-keys-dialog'

/** Keys do nothing until enforcement is on; say so where keys are managed. */
export function ApiKeyAuthNotice() {
  const settings = useQuery(settingsQuery())
  const [confirming, setConfirming] = useState(false)
  if (!settings.data || settings.data.apiKeyAuthEnabled) return null
  return (
    <Alert variant="info">
      <Info />
      <AlertTitle>API keys are not required right now</AlertTitle>
      <AlertDescription>
        <p>Anyone who can reach the proxy can use it without a key.</p>
        <Button size="sm" variant="outline" className="mt-1" onClick={() => setConfirming(true)}>
          Require API keys
        </Button>
      </AlertDescription>
      <RequireApiKeysDialog open={confirming} onOpenChange={setConfirming} />
    </Alert>
  )
}
