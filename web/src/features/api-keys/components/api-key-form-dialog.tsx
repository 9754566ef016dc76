import type { ApiKey, ApiKeyCreated } from '@codex-lb/shared'
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
import { NativeSelect } from '@/components/ui/native-select'
import { Switch } from '@/components/ui/switch'
import { accountsQuery } from '@/features/accounts'
import { errorMessage } from '@/lib/api-client'
import { parseDate } from '@/lib/format'
import { createApiKey, updateApiKey } from '../api'
import { EXPIRY_OPTIONS, expiryToIso, toDateInput, type ExpiryChoice } from '../expiry'
import { draftFromRule, draftsToRules, rulesFromKey, sameRules, type LimitDraft } from '../limits'
import { draftFromKey, policyBody, type PolicyDraft } from '../policy'
import { apiKeyKeys, modelsQuery } from '../queries'
import { KeyPolicyFields } from './key-policy-fields'
import { LimitRulesEditor } from './limit-rules-editor'
import { LimitUsage } from './limit-usage'
import { ModelsPicker } from './models-picker'

function Field({
  label,
  htmlFor,
  children,
}: {
  label: string
  htmlFor?: string
  children: React.ReactNode
}) {
  return (
    <div className="space-y-2">
      {htmlFor ? (
        <Label htmlFor={htmlFor}>{label}</Label>
      ) : (
        <div className="text-sm font-medium">{label}</div>
      )}
      {children}
    </div>
  )
}

/** Create (no `editing`) or edit a key. Create hands the one-time plaintext key to `onCreated`. */
export function ApiKeyFormDialog({
  editing,
  onClose,
  onCreated,
}: {
  editing: ApiKey | null
  onClose(): void
  onCreated(key: ApiKeyCreated): void
}) {
  const queryClient = useQueryClient()
  const models = useQuery(modelsQuery())
  const accounts = useQuery(accountsQuery())
  const existingExpiry = parseDate(editing?.expiresAt)
  const [name, setName] = useState(editing?.name ?? '')
  const [allowed, setAllowed] = useState<string[]>(editing?.allowedModels ?? [])
  const [expiry, setExpiry] = useState<ExpiryChoice>(existingExpiry ? 'custom' : 'never')
  const [customDate, setCustomDate] = useState(existingExpiry ? toDateInput(existingExpiry) : '')
  const [drafts, setDrafts] = useState<LimitDraft[]>(() => editing?.limits.map(draftFromRule) ?? [])
  const [active, setActive] = useState(editing?.isActive ?? true)
  const [policy, setPolicy] = useState<PolicyDraft>(() => draftFromKey(editing))

  const save = useMutation({
    mutationFn: async () => {
      const rules = draftsToRules(drafts)
      const expiresAt = expiryToIso(expiry, customDate)
      if (!editing) {
        return createApiKey({
          name: name.trim(),
          allowedModels: allowed.length ? allowed : null,
          expiresAt,
          limits: rules.length ? rules : null,
          ...policyBody(policy, null),
        })
      }
      const limitsChanged = !sameRules(rules, rulesFromKey(editing.limits))
      return updateApiKey(editing.id, {
        name: name.trim(),
        allowedModels: allowed.length ? allowed : null,
        // An unchanged custom date keeps the exact stored instant.
        expiresAt:
          expiry === 'custom' && existingExpiry && customDate === toDateInput(existingExpiry)
            ? (editing.expiresAt ?? null)
            : expiresAt,
        isActive: active,
        ...(limitsChanged ? { limits: rules } : {}),
        ...policyBody(policy, editing),
      })
    },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all })
      if ('key' in result) onCreated(result as ApiKeyCreated)
      else toast.success(`Saved ${result.name}`)
      onClose()
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) save.mutate()
  }
  const modelList = models.data ?? []

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-2xl">
        <form onSubmit={submit} className="space-y-5">
          <DialogHeader>
            <DialogTitle>{editing ? `Edit ${editing.name}` : 'Create API key'}</DialogTitle>
            <DialogDescription>
              {editing
                ? 'Changing a limit keeps its usage; a new or re-scoped limit starts from zero.'
                : 'Clients send the key as a bearer token. Limits and model access are optional.'}
            </DialogDescription>
          </DialogHeader>

          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" htmlFor="key-name">
              <Input
                id="key-name"
                autoFocus
                maxLength={128}
                placeholder="laptop, ci, teammate…"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
            <Field label="Expires" htmlFor="key-expiry">
              <div className="flex gap-2">
                <NativeSelect
                  id="key-expiry"
                  value={expiry}
                  onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}
                  className="flex-1"
                >
                  {EXPIRY_OPTIONS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </NativeSelect>
                {expiry === 'custom' ? (
                  <Input
                    type="date"
                    aria-label="Expiry date"
                    value={customDate}
                    min={toDateInput(new Date())}
                    onChange={(e) => setCustomDate(e.target.value)}
                    className="flex-1"
                  />
                ) : null}
              </div>
            </Field>
          </div>

          <Field label="Allowed models">
            <ModelsPicker
              models={modelList}
              selected={allowed}
              onChange={setAllowed}
              unavailable={models.isError}
            />
          </Field>

          <Field label="Policy">
            <KeyPolicyFields draft={policy} onChange={setPolicy} accounts={accounts.data ?? []} />
          </Field>

          <Field label="Limits">
            <LimitRulesEditor drafts={drafts} onChange={setDrafts} models={modelList} />
          </Field>

          {editing ? (
            <>
              {editing.limits.length ? (
                <Field label="Current usage">
                  <div className="grid gap-3 sm:grid-cols-2">
                    {editing.limits.map((rule) => (
                      <LimitUsage key={rule.id} rule={rule} />
                    ))}
                  </div>
                </Field>
              ) : null}
              <div className="flex items-center justify-between gap-4 rounded-lg border p-3">
                <div>
                  <Label htmlFor="key-active">Active</Label>
                  <p className="text-sm text-muted-foreground">
                    A disabled key is refused until re-enabled.
                  </p>
                </div>
                <Switch id="key-active" checked={active} onCheckedChange={setActive} />
              </div>
            </>
          ) : null}

          {save.isError ? (
            <p className="text-sm text-destructive">{errorMessage(save.error)}</p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim() || save.isPending}>
              {editing ? 'Save' : 'Create key'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
