import type { OauthStartResponse } from '@codex-lb/shared'
import { useMutation } from '@tanstack/react-query'
import { ExternalLink, Loader2 } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { CopyButton } from '@/components/copy-button'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { completeOauth, startOauth } from '../api'
import { OauthDeviceCode } from './oauth-device-panel'
import { OauthStartStep } from './oauth-start-step'
import { useOauthPolling } from './use-oauth-polling'

export function OauthBrowserPanel({ onDone }: { onDone(email: string | null): void }) {
  const [flow, setFlow] = useState<OauthStartResponse | null>(null)
  const [callbackUrl, setCallbackUrl] = useState('')
  const start = useMutation({
    mutationFn: () => startOauth('browser'),
    onSuccess: (data) => {
      setFlow(data)
      if (data.authorizationUrl) window.open(data.authorizationUrl, '_blank', 'noopener')
    },
  })
  const complete = useMutation({
    mutationFn: (url: string) => completeOauth({ flowId: flow?.flowId ?? null, callbackUrl: url }),
    onSuccess: (result) => {
      if (result.status === 'success') onDone(result.email ?? null)
    },
  })
  const polling = useOauthPolling(flow !== null, flow?.flowId, 2, onDone)

  // The server falls back to the device flow when its callback port (1455) is busy.
  if (flow?.method === 'device') return <OauthDeviceCode flow={flow} onDone={onDone} />

  if (!flow) {
    return (
      <OauthStartStep
        description="Opens the ChatGPT sign-in page in a new tab. After you approve, the account joins the pool automatically."
        icon={<ExternalLink />}
        label="Sign in with ChatGPT"
        pending={start.isPending}
        error={start.error}
        onStart={() => start.mutate()}
      />
    )
  }

  const submitCallback = (event: FormEvent) => {
    event.preventDefault()
    if (callbackUrl.trim()) complete.mutate(callbackUrl.trim())
  }
  const pastedError =
    complete.data && complete.data.status === 'error'
      ? (complete.data.errorMessage ?? 'The redirect URL was not accepted')
      : complete.isError
        ? errorMessage(complete.error)
        : null

  return (
    <div className="space-y-5">
      <div className="flex items-center gap-2 rounded-lg border bg-muted/40 px-3 py-2.5 text-sm">
        <Loader2 className="size-4 animate-spin text-brand" />
        <span>Waiting for you to finish signing in…</span>
      </div>
      {polling.errorMessage ? (
        <Alert variant="destructive">
          <AlertDescription>{polling.errorMessage}</AlertDescription>
        </Alert>
      ) : null}
      {flow.authorizationUrl ? (
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline" size="sm">
            <a href={flow.authorizationUrl} target="_blank" rel="noopener noreferrer">
              <ExternalLink /> Open sign-in page again
            </a>
          </Button>
          <CopyButton value={flow.authorizationUrl} label="Copy link" />
        </div>
      ) : null}
      <form onSubmit={submitCallback} className="space-y-2 border-t pt-4">
        <Label htmlFor="callback-url">Server on another machine?</Label>
        <p className="text-xs text-muted-foreground">
          After approving, your browser is sent to{' '}
          <code className="font-mono">
            {flow.callbackUrl ?? 'http://localhost:1455/auth/callback'}
          </code>
          , which cannot load here. Copy the full address from the browser bar and paste it below.
        </p>
        <div className="flex gap-2">
          <Input
            id="callback-url"
            placeholder="http://localhost:1455/auth/callback?code=…&state=…"
            value={callbackUrl}
            onChange={(e) => setCallbackUrl(e.target.value)}
            className="font-mono text-xs"
          />
          <Button
            type="submit"
            variant="secondary"
            disabled={!callbackUrl.trim() || complete.isPending}
          >
            Complete
          </Button>
        </div>
        {pastedError ? <p className="text-sm text-destructive">{pastedError}</p> : null}
      </form>
    </div>
  )
}
