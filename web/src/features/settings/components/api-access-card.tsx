import { useQuery } from '@tanstack/react-query'
import { KeyRound } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'wouter'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { settingsQuery, useUpdateSettings } from '../queries'
import { RequireApiKeysDialog } from './require-api-keys-dialog'
import { SettingSwitchRow } from './setting-row'

export function ApiAccessCard() {
  const settings = useQuery(settingsQuery())
  const update = useUpdateSettings()
  const [confirming, setConfirming] = useState(false)
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <KeyRound className="size-4 text-muted-foreground" /> Proxy access
        </CardTitle>
        <CardDescription>Who may send requests to the proxy endpoints.</CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <Skeleton className="h-12 w-full" />
        ) : settings.isError ? (
          <p className="text-sm text-muted-foreground">Settings are unavailable.</p>
        ) : (
          <SettingSwitchRow
            id="api-key-auth"
            title="Require API keys"
            description={
              <>
                Requests to <code className="font-mono">/v1/*</code> and{' '}
                <code className="font-mono">/backend-api/codex/*</code> must carry a key from{' '}
                <Link href="/api-keys" className="text-foreground underline underline-offset-4">
                  API keys
                </Link>
                . With no keys created, all proxy traffic is refused.
              </>
            }
            checked={settings.data.apiKeyAuthEnabled}
            disabled={update.isPending}
            onCheckedChange={(on) =>
              on ? setConfirming(true) : update.mutate({ apiKeyAuthEnabled: false })
            }
          />
        )}
        <RequireApiKeysDialog open={confirming} onOpenChange={setConfirming} />
      </CardContent>
    </Card>
  )
}
