import { REASONING_EFFORTS, SERVICE_TIERS } from '@codex-lb/shared'
import { Checkbox } from '@/components/ui/checkbox'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import type { PolicyDraft } from '../policy'

/** A row of checkboxes; none ticked means "any", as on the server. */
function Choices({
  legend,
  idPrefix,
  options,
  selected,
  onChange,
  anyLabel,
}: {
  legend: string
  idPrefix: string
  options: { value: string; label: string }[]
  selected: string[]
  onChange(next: string[]): void
  anyLabel: string
}) {
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value))
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{legend}</legend>
      <p className="text-xs text-muted-foreground">
        {selected.length === 0 ? anyLabel : `${selected.length} selected`}
      </p>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => {
          const id = `${idPrefix}-${o.value}`
          return (
            <label key={o.value} htmlFor={id} className="flex items-center gap-2 text-sm">
              <Checkbox
                id={id}
                aria-label={`${legend}: ${o.label}`}
                checked={selected.includes(o.value)}
                onCheckedChange={(v) => toggle(o.value, v === true)}
              />
              {o.label}
            </label>
          )
        })}
      </div>
    </fieldset>
  )
}

const TIER_LABELS: Record<string, string> = { priority: 'priority (Fast)' }

/** The key's policy: efforts, tiers, accounts and its cap on requests in flight. */
export function KeyPolicyFields({
  draft,
  onChange,
  accounts,
}: {
  draft: PolicyDraft
  onChange(next: PolicyDraft): void
  accounts: { accountId: string; email: string }[]
}) {
  const set = (patch: Partial<PolicyDraft>) => onChange({ ...draft, ...patch })
  // Keep accounts the key names even when they are gone, so saving does not drop them silently.
  const accountOptions = [
    ...accounts.map((a) => ({ value: a.accountId, label: a.email })),
    ...draft.accounts
      .filter((id) => !accounts.some((a) => a.accountId === id))
      .map((id) => ({ value: id, label: `${id} (removed)` })),
  ]
  return (
    <div className="space-y-4 rounded-lg border p-3">
      <Choices
        legend="Reasoning efforts"
        idPrefix="effort"
        options={REASONING_EFFORTS.map((e) => ({ value: e, label: e }))}
        selected={draft.efforts}
        onChange={(efforts) => set({ efforts })}
        anyLabel="Any effort allowed"
      />
      <Choices
        legend="Service tiers"
        idPrefix="tier"
        options={SERVICE_TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] ?? t }))}
        selected={draft.tiers}
        onChange={(tiers) => set({ tiers })}
        anyLabel="Any tier allowed"
      />
      {accountOptions.length ? (
        <Choices
          legend="Accounts"
          idPrefix="account"
          options={accountOptions}
          selected={draft.accounts}
          onChange={(accounts) => set({ accounts })}
          anyLabel="Routed to any account"
        />
      ) : null}
      <div className="space-y-2">
        <Label htmlFor="key-max-concurrent">Max concurrent requests</Label>
        <Input
          id="key-max-concurrent"
          type="number"
          step={1}
          placeholder="No cap"
          value={draft.cap}
          onChange={(e) => set({ cap: e.target.value })}
          className="w-40"
        />
      </div>
    </div>
  )
}
