import type { DashboardSettings, DashboardSettingsUpdate } from '@codex-lb/shared'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { errorMessage } from '@/lib/api-client'
import { updateSettings } from '../api'
import { settingsKeys, settingsQuery } from '../queries'

type Patch = Omit<DashboardSettingsUpdate, 'stickyThreadsEnabled' | 'preferEarlierResetAccounts'>

/** One numeric field of a settings card: its key, how it reads, and what the server accepts. */
export interface NumberField<K extends keyof Patch> {
  key: K
  id: string
  label: string
  unit: string
  /** Shown when the text is not accepted, e.g. "From 0 to 100". */
  rule: string
  decimal?: boolean
  isValid(text: string): boolean
  /** The value shown when the setting is null (its environment default). */
  fallback: number
}

/** Saves a patch of settings; a null value returns that setting to its environment default. */
function useSaveSettings(savedMessage: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Patch) => {
      const current = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (!current) throw new Error('Settings are not loaded yet')
      // PUT needs both routing flags every time; the other settings keep their value when absent.
      return updateSettings({
        stickyThreadsEnabled: current.stickyThreadsEnabled,
        preferEarlierResetAccounts: current.preferEarlierResetAccounts,
        ...patch,
      })
    },
    onSuccess: (data) => {
      queryClient.setQueryData(settingsKeys.detail(), data)
      toast.success(savedMessage)
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
}

function NumberInput(props: {
  field: NumberField<keyof Patch>
  value: string
  onChange(value: string): void
}) {
  const { field } = props
  const invalid = !field.isValid(props.value)
  return (
    <div className="space-y-2">
      <Label htmlFor={field.id}>{field.label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={field.id}
          inputMode={field.decimal ? 'decimal' : 'numeric'}
          value={props.value}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${field.id}-error` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
          className="w-24"
        />
        <span className="text-sm text-muted-foreground">{field.unit}</span>
      </div>
      {invalid ? (
        <p id={`${field.id}-error`} className="text-sm text-destructive">
          {field.rule}
        </p>
      ) : null}
    </div>
  )
}

/**
 * The body of a settings card made of numeric fields: loads the settings, edits them as text,
 * saves the changed set, or returns every field to its environment default.
 */
export function NumberSettingForm(props: {
  fields: Array<NumberField<keyof Patch>>
  saveLabel: string
  savedMessage: string
}) {
  const settings = useQuery(settingsQuery())
  const save = useSaveSettings(props.savedMessage)
  const loaded = props.fields.map((f) => {
    const value = settings.data?.[f.key as keyof DashboardSettings]
    return String(typeof value === 'number' ? value : f.fallback)
  })
  const loadedKey = loaded.join('\u0000')
  const [texts, setTexts] = useState(loaded)
  // Reset the texts when the saved values change (loadedKey stands for `loaded`).
  useEffect(() => setTexts(loadedKey.split('\u0000')), [loadedKey])
  const valid = props.fields.every((f, i) => f.isValid(texts[i] ?? ''))
  const changed = texts.join('\u0000') !== loadedKey
  const patch = (values: (number | null)[]): Patch =>
    Object.fromEntries(props.fields.map((f, i) => [f.key, values[i] ?? null]))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (valid) save.mutate(patch(texts.map(Number)))
  }

  if (settings.isPending) return <Skeleton className="h-20 w-full" />
  if (settings.isError) {
    return (
      <QueryError error={settings.error} what="settings" onRetry={() => void settings.refetch()} />
    )
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="flex flex-wrap gap-6">
        {props.fields.map((field, i) => (
          <NumberInput
            key={field.id}
            field={field}
            value={texts[i] ?? ''}
            onChange={(text) => setTexts((all) => all.map((t, j) => (j === i ? text : t)))}
          />
        ))}
      </div>
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={!changed || !valid || save.isPending}>
          {props.saveLabel}
        </Button>
        <Button
          type="button"
          size="sm"
          variant="outline"
          disabled={save.isPending}
          onClick={() => save.mutate(patch(props.fields.map(() => null)))}
        >
          Use defaults
        </Button>
      </div>
    </form>
  )
}
