import type { OauthStartResponse } from '@codex-lb/shared'
import { useMutation } from '@tanstack/react-query'
import { ExternalLink, Loader2, Smartphone } from 'lucide-react'
import { useEffect, useState } from 'react'
import { CopyButton } from '@/components/copy-button'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'
import { completeOauth, startOauth } from '../api'
import { OauthStartStep } from './oauth-start-step'
import { useOauthPolling } from './use-oauth-polling'

function useCountdown(seconds: number | null | undefined): number | null {
  const [deadline] = useState(() => (seconds ? Date.now() + seconds * 1000 : null))
  const [left, setLeft] = useState<number | null>(seconds ?? null)
  useEffect(() => {
    if (!deadline) return
    const timer = setInterval(
      () => setLeft(Math.max(0, Math.round((deadline - Date.now()) / 1000))),
      1000,
    )
    return () => clearInterval(timer)
  }, [deadline])
  return left
}

/** Shows the user code and verification link, and starts the server's device polling. */
export function OauthDeviceCode({
  flow,
  onDone,
}: {
  flow: OauthStartResponse
  onDone(email: string | null): void
}) {
  const left = useCountdown(flow.expiresInSeconds)
  const complete = useMutation({
    mutationFn: () =>
      completeOauth({
        flowId: flow.flowId ?? null,
        deviceAuthId: flow.deviceAuthId ?? null,
        userCode: flow.userCode ?? null,
      }),
    // Already approved (e.g. a second tab): no need to wait for the next poll.
    onSuccess: (result) => {
      if (result.status === 'success') onDone(result.email ?? null)
    },
  })
  const { mutate } = complete
  useEffect(() => {
    // The server polls the token endpoint only after /complete kicks it off.
    mutate()
  }, [mutate])
  const polling = useOauthPolling(true, flow.flowId, flow.intervalSeconds ?? 3, onDone)
  const expired = left === 0

  return (
    <div className="space-y-4">
      <ol className="list-inside list-decimal space-y-1 text-sm text-muted-foreground">
        <li>Open the verification page on any device.</li>
        <li>Enter the code below and approve.</li>
      </ol>
      {flow.verificationUrl ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button asChild variant="outline" size="sm">
            <a href={flow.verificationUrl} target="_blank" rel="noopener noreferrer">
              <ExternalLink /> {flow.verificationUrl.replace(/^https?:\/\//, '')}
            </a>
          </Button>
          <CopyButton value={flow.verificationUrl} label="Copy link" />
        </div>
      ) : null}
      <div className="flex items-center justify-between gap-3 rounded-lg border bg-muted/40 p-4">
        <code className="font-mono text-2xl font-semibold tracking-[0.2em]" data-testid="user-code">
          {flow.userCode ?? '—'}
        </code>
        {flow.userCode ? <CopyButton value={flow.userCode} label="Copy code" /> : null}
      </div>
      {polling.errorMessage || complete.isError ? (
        <Alert variant="destructive">
          <AlertDescription>
            {polling.errorMessage ?? errorMessage(complete.error)}
          </AlertDescription>
        </Alert>
      ) : expired ? (
        <Alert variant="warning">
          <AlertDescription>The code expired. Close this dialog and start again.</AlertDescription>
        </Alert>
      ) : (
        <div className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin text-brand" />
          Waiting for approval
          {left !== null
            ? ` · expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`
            : ''}
        </div>
      )}
    </div>
  )
}

export function OauthDevicePanel({ onDone }: { onDone(email: string | null): void }) {
  const start = useMutation({ mutationFn: () => startOauth('device') })
  if (start.data) return <OauthDeviceCode flow={start.data} onDone={onDone} />
  return (
    <OauthStartStep
      description="For headless servers: get a short code, then approve it from a phone or any browser. Nothing needs to reach this machine on port 1455."
      icon={<Smartphone />}
      label="Get a device code"
      pending={start.isPending}
      error={start.error}
      onStart={() => start.mutate()}
    />
  )
}
