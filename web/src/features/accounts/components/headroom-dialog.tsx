import type { AccountSummary } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { settingsQuery } from '@/features/settings'
import { setAccountHeadroom } from '../api'
import { percentLabel } from '../headroom'
import { AccountSettingDialog } from './account-setting-dialog'
import { useSaveAccountSetting } from './use-save-account-setting'

/** '' → null (follow the global ceiling); otherwise a number 0–100, or an error text. */
function parseCeiling(text: string): { value: number | null } | { error: string } {
  const t = text.trim()
  if (t === '') return { value: null }
  const n = Number(t)
  if (!Number.isFinite(n) || n < 0 || n > 100) return { error: 'Enter a percentage from 0 to 100' }
  return { value: n }
}

function CeilingField({
  id,
  label,
  value,
  global,
  error,
  onChange,
}: {
  id: string
  label: string
  value: string
  global: number | undefined
  error: string | undefined
  onChange(value: string): void
}) {
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          inputMode="decimal"
          placeholder={global === undefined ? 'Global' : `Global (${percentLabel(global)})`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="w-40"
        />
        <span className="text-sm text-muted-foreground">% used</span>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  )
}

const asText = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v))

/** Edits one account's usage ceilings; an empty field follows the global one from Settings. */
export function HeadroomDialog({ account, onClose }: { account: AccountSummary; onClose(): void }) {
  const settings = useQuery(settingsQuery())
  const [primary, setPrimary] = useState(asText(account.headroom?.primaryPercent))
  const [secondary, setSecondary] = useState(asText(account.headroom?.secondaryPercent))
  const [submitted, setSubmitted] = useState(false)
  const parsed = { primary: parseCeiling(primary), secondary: parseCeiling(secondary) }
  const errorOf = (p: ReturnType<typeof parseCeiling>) =>
    submitted && 'error' in p ? p.error : undefined

  const save = useSaveAccountSetting(
    (body: { primaryPercent: number | null; secondaryPercent: number | null }) =>
      setAccountHeadroom(account.accountId, body),
    `Saved the usage ceiling of ${account.email}`,
    onClose,
  )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    const { primary: p, secondary: s } = parsed
    if ('error' in p || 'error' in s) return
    save.mutate({ primaryPercent: p.value, secondaryPercent: s.value })
  }

  return (
    <AccountSettingDialog
      title={<>Usage ceiling for {account.email || account.accountId}</>}
      description={
        <>
          Routing stops using this account once a window is this full, until the window resets, so
          the rest stays free (for your own ChatGPT use, say). Leave a field empty to follow the
          global ceiling from Settings.
        </>
      }
      saving={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <CeilingField
        id="ceiling-primary"
        label="5-hour window"
        value={primary}
        global={settings.data?.headroomPrimaryPercent}
        error={errorOf(parsed.primary)}
        onChange={setPrimary}
      />
      <CeilingField
        id="ceiling-secondary"
        label="Weekly window"
        value={secondary}
        global={settings.data?.headroomSecondaryPercent}
        error={errorOf(parsed.secondary)}
        onChange={setSecondary}
      />
    </AccountSettingDialog>
  )
}
