import type { AccountSummary } from '@codex-lb/shared'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { settingsQuery } from '@/features/settings'
import { setAccountHeadroom } from '../api'
import { percentLabel } from '../headroom'
import { accountKeys } from '../queries'

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
  const queryClient = useQueryClient()
  const settings = useQuery(settingsQuery())
  const [primary, setPrimary] = useState(asText(account.headroom?.primaryPercent))
  const [secondary, setSecondary] = useState(asText(account.headroom?.secondaryPercent))
  const [submitted, setSubmitted] = useState(false)
  const parsed = { primary: parseCeiling(primary), secondary: parseCeiling(secondary) }
  const errorOf = (p: ReturnType<typeof parseCeiling>) =>
    submitted && 'error' in p ? p.error : undefined

  const save = useMutation({
    mutationFn: (body: { primaryPercent: number | null; secondaryPercent: number | null }) =>
      setAccountHeadroom(account.accountId, body),
    onSuccess: async () => {
      toast.success(`Saved the usage ceiling of ${account.email}`)
      await queryClient.invalidateQueries({ queryKey: accountKeys.all })
      onClose()
    },
    onError: (error) => toast.error(errorMessage(error)),
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    const { primary: p, secondary: s } = parsed
    if ('error' in p || 'error' in s) return
    save.mutate({ primaryPercent: p.value, secondaryPercent: s.value })
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        <form onSubmit={submit} className="space-y-5" noValidate>
          <DialogHeader>
            <DialogTitle>Usage ceiling for {account.email || account.accountId}</DialogTitle>
            <DialogDescription>
              Routing stops using this account once a window is this full, until the window resets,
              so the rest stays free (for your own ChatGPT use, say). Leave a field empty to follow
              the global ceiling from Settings.
            </DialogDescription>
          </DialogHeader>
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
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
