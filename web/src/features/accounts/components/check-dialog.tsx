import type { AccountCheck, AccountSummary } from '@codex-lb/shared'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime, formatPercent } from '@/lib/format'
import { accountLabel } from '../account-state'
import { checkAccount } from '../api'
import { accountKeys } from '../queries'

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-1.5">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="text-right font-medium">{children}</dd>
    </div>
  )
}

function windowText(used: number | null, resetAt: string | null): string {
  if (used === null) return 'no data'
  return resetAt
    ? `${formatPercent(used)} used, resets ${formatDateTime(resetAt)}`
    : `${formatPercent(used)} used`
}

/** What a check found: the windows, status and token expiry, and the failure if there was one. */
export function CheckResult({ result }: { result: AccountCheck }) {
  const { usage } = result
  return (
    <div className="space-y-3 text-sm">
      {result.error ? (
        <p role="alert" className="rounded-md border border-destructive/40 p-3 text-destructive">
          The check failed ({result.error.code}): {result.error.message}. The values below are the
          last ones known.
        </p>
      ) : null}
      <dl className="divide-y">
        <Row label="5 h window">{windowText(usage.primaryUsedPercent, usage.primaryResetAt)}</Row>
        <Row label="Weekly window">
          {windowText(usage.secondaryUsedPercent, usage.secondaryResetAt)}
        </Row>
        <Row label="Status">{result.status.replace('_', ' ')}</Row>
        <Row label="Token valid until">
          {result.tokenExpiresAt ? formatDateTime(result.tokenExpiresAt) : 'unknown'}
        </Row>
        <Row label="Checked">{formatDateTime(result.checkedAt)}</Row>
      </dl>
    </div>
  )
}

/** "Check now": fetches the account's usage as the dialog opens and shows what came back. */
export function CheckDialog({ account, onClose }: { account: AccountSummary; onClose(): void }) {
  const queryClient = useQueryClient()
  const check = useMutation({
    mutationFn: () => checkAccount(account.accountId),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]),
  })
  const { mutate } = check
  // Once per opening (a development StrictMode double effect must not fetch twice).
  const started = useRef(false)
  useEffect(() => {
    if (started.current) return
    started.current = true
    mutate()
  }, [mutate])
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>Check {accountLabel(account)}</DialogTitle>
          <DialogDescription>
            Usage and token state, fetched from upstream just now.
          </DialogDescription>
        </DialogHeader>
        {check.data ? (
          <CheckResult result={check.data} />
        ) : check.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(check.error)}
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">Checking…</p>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
