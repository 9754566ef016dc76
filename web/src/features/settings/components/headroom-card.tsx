import type { DashboardSettings } from '@codex-lb/shared'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Gauge } from 'lucide-react'
import { useEffect, useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { QueryError } from '@/components/query-error'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { errorMessage } from '@/lib/api-client'
import { updateSettings } from '../api'
import { settingsKeys, settingsQuery } from '../queries'

type Ceilings = { headroomPrimaryPercent: number | null; headroomSecondaryPercent: number | null }

function valid(text: string): boolean {
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100
}

/** Saves the global ceilings; null returns one to its environment default. */
function useSaveCeilings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (ceilings: Ceilings) => {
      const current = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (!current) throw new Error('Settings are not loaded yet')
      // PUT needs both routing flags every time; the other settings keep their value when absent.
      return updateSettings({
        stickyThreadsEnabled: current.stickyThreadsEnabled,
        preferEarlierResetAccounts: current.preferEarlierResetAccounts,
        ...ceilings,
      })
    },
    onSuccess: (data) => {
      queryClient.setQueryData(settingsKeys.detail(), data)
      toast.success('Usage ceilings saved')
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
}

function CeilingInput({
  id,
  label,
  value,
  onChange,
}: {
  id: string
  label: string
  value: string
  onChange(value: string): void
}) {
  const invalid = !valid(value)
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          inputMode="decimal"
          value={value}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange(e.target.value)}
          className="w-24"
        />
        <span className="text-sm text-muted-foreground">% used</span>
      </div>
      {invalid ? <p className="text-sm text-destructive">From 0 to 100</p> : null}
    </div>
  )
}

/** Settings → Usage ceilings: the global headroom per window that accounts follow by default. */
export function HeadroomCard() {
  const settings = useQuery(settingsQuery())
  const save = useSaveCeilings()
  const [primary, setPrimary] = useState('100')
  const [secondary, setSecondary] = useState('100')
  const loadedPrimary = settings.data?.headroomPrimaryPercent ?? 100
  const loadedSecondary = settings.data?.headroomSecondaryPercent ?? 100
  useEffect(() => {
    setPrimary(String(loadedPrimary))
    setSecondary(String(loadedSecondary))
  }, [loadedPrimary, loadedSecondary])
  const changed = primary !== String(loadedPrimary) || secondary !== String(loadedSecondary)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!valid(primary) || !valid(secondary)) return
    save.mutate({
      headroomPrimaryPercent: Number(primary),
      headroomSecondaryPercent: Number(secondary),
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Gauge className="size-4 text-muted-foreground" /> Usage ceilings
        </CardTitle>
        <CardDescription>
          Stop routing to an account once a window is this full, until it resets, so some quota
          stays free (for example for your own ChatGPT use). 100 % means no ceiling. An account can
          set its own in its menu on the Accounts page.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <Skeleton className="h-20 w-full" />
        ) : settings.isError ? (
          <QueryError
            error={settings.error}
            what="settings"
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <div className="flex flex-wrap gap-6">
              <CeilingInput
                id="headroom-primary"
                label="5-hour window"
                value={primary}
                onChange={setPrimary}
              />
              <CeilingInput
                id="headroom-secondary"
                label="Weekly window"
                value={secondary}
                onChange={setSecondary}
              />
            </div>
            <div className="flex gap-2">
              <Button
                type="submit"
                size="sm"
                disabled={!changed || !valid(primary) || !valid(secondary) || save.isPending}
              >
                Save ceilings
              </Button>
              <Button
                type="button"
                size="sm"
                variant="outline"
                disabled={save.isPending}
                onClick={() =>
                  save.mutate({ headroomPrimaryPercent: null, headroomSecondaryPercent: null })
                }
              >
                Use defaults
              </Button>
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  )
}
