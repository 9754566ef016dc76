import {
  ACCOUNT_MAX_STREAMS_LIMIT,
  DEFAULT_ACCOUNT_MAX_STREAMS,
  type AccountSummary,
} from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { Layers } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { settingsQuery } from '@/features/settings'
import { setAccountMaxStreams } from '../api'
import { AccountSettingDialog } from './account-setting-dialog'
import { useSaveAccountSetting } from './use-save-account-setting'

/** '' → null (follow the global cap); otherwise a whole number from 1 to the limit. */
function parseCap(text: string): { value: number | null } | { error: string } {
  const t = text.trim()
  if (t === '') return { value: null }
  const n = Number(t)
  if (!Number.isInteger(n) || n < 1 || n > ACCOUNT_MAX_STREAMS_LIMIT) {
    return { error: `Enter a whole number from 1 to ${ACCOUNT_MAX_STREAMS_LIMIT}` }
  }
  return { value: n }
}

/** The global cap from Settings (the environment default until it loads). */
function useGlobalCap(): number {
  return useQuery(settingsQuery()).data?.accountMaxStreams ?? DEFAULT_ACCOUNT_MAX_STREAMS
}

/** Edits one account's stream cap; an empty field follows the global cap from Settings. */
export function StreamCapDialog({
  account,
  onClose,
}: {
  account: AccountSummary
  onClose(): void
}) {
  const globalCap = useGlobalCap()
  const [text, setText] = useState(account.maxStreams == null ? '' : String(account.maxStreams))
  const [submitted, setSubmitted] = useState(false)
  const parsed = parseCap(text)
  const error = submitted && 'error' in parsed ? parsed.error : undefined
  const save = useSaveAccountSetting(
    (maxStreams: number | null) => setAccountMaxStreams(account.accountId, maxStreams),
    `Saved the concurrency cap of ${account.email || account.accountId}`,
    onClose,
  )
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    if (!('error' in parsed)) save.mutate(parsed.value)
  }
  return (
    <AccountSettingDialog
      title={<>Concurrency cap for {account.email || account.accountId}</>}
      description={
        <>
          The most requests this account serves at once; more wait for a free slot. Leave the field
          empty to follow the global cap from Settings.
        </>
      }
      saving={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="space-y-2">
        <Label htmlFor="stream-cap">Streams at once</Label>
        <Input
          id="stream-cap"
          inputMode="numeric"
          placeholder={`Global (${globalCap})`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'stream-cap-error' : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-40"
        />
        {error ? (
          <p id="stream-cap-error" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
      </div>
    </AccountSettingDialog>
  )
}

/** "≤ 8 at once" in the row: the effective cap, marked when it is the account's own. */
export function StreamCapControl({ account }: { account: AccountSummary }) {
  const globalCap = useGlobalCap()
  const [open, setOpen] = useState(false)
  const own = account.maxStreams ?? null
  const cap = own ?? globalCap
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        className="h-6 gap-1 px-1.5 text-xs text-muted-foreground"
        aria-label={`Concurrency cap of ${account.email || account.accountId}: ${cap}${own === null ? ' (global)' : ''}`}
        title={
          own === null
            ? `At most ${cap} requests at once (the global cap)`
            : `At most ${cap} requests at once (this account's own cap)`
        }
        onClick={() => setOpen(true)}
      >
        <Layers className="size-3" />
        {own === null ? `≤${cap}` : <span className="font-medium text-foreground">≤{cap}</span>}
      </Button>
      {open ? <StreamCapDialog account={account} onClose={() => setOpen(false)} /> : null}
    </>
  )
}
