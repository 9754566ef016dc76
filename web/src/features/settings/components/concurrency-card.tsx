import {
  ACCOUNT_MAX_STREAMS_LIMIT,
  ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS,
  DEFAULT_ACCOUNT_MAX_STREAMS,
  DEFAULT_ACCOUNT_QUEUE_WAIT_SECONDS,
  type DashboardSettings,
} from '@codex-lb/shared'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Layers } from 'lucide-react'
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

type Limits = { accountMaxStreams: number | null; accountQueueWaitSeconds: number | null }

/** A whole number from 1 to `max`, as the server checks it. */
function wholeUpTo(text: string, max: number): boolean {
  const n = Number(text.trim())
  return text.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= max
}

/** Saves the cap and the wait; null returns one to its environment default. */
function useSaveLimits() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (limits: Limits) => {
      const current = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (!current) throw new Error('Settings are not loaded yet')
      // PUT needs both routing flags every time; the other settings keep their value when absent.
      return updateSettings({
        stickyThreadsEnabled: current.stickyThreadsEnabled,
        preferEarlierResetAccounts: current.preferEarlierResetAccounts,
        ...limits,
      })
    },
    onSuccess: (data) => {
      queryClient.setQueryData(settingsKeys.detail(), data)
      toast.success('Concurrency limits saved')
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
}

function LimitInput(props: {
  id: string
  label: string
  unit: string
  max: number
  value: string
  onChange(value: string): void
}) {
  const invalid = !wholeUpTo(props.value, props.max)
  return (
    <div className="space-y-2">
      <Label htmlFor={props.id}>{props.label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={props.id}
          inputMode="numeric"
          value={props.value}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${props.id}-error` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
          className="w-24"
        />
        <span className="text-sm text-muted-foreground">{props.unit}</span>
      </div>
      {invalid ? (
        <p id={`${props.id}-error`} className="text-sm text-destructive">
          A whole number from 1 to {props.max}
        </p>
      ) : null}
    </div>
  )
}

/** Settings → Concurrency: streams per account at once, and how long a request waits for one. */
export function ConcurrencyCard() {
  const settings = useQuery(settingsQuery())
  const save = useSaveLimits()
  const loadedCap = String(settings.data?.accountMaxStreams ?? DEFAULT_ACCOUNT_MAX_STREAMS)
  const loadedWait = String(
    settings.data?.accountQueueWaitSeconds ?? DEFAULT_ACCOUNT_QUEUE_WAIT_SECONDS,
  )
  const [cap, setCap] = useState(loadedCap)
  const [wait, setWait] = useState(loadedWait)
  useEffect(() => {
    setCap(loadedCap)
    setWait(loadedWait)
  }, [loadedCap, loadedWait])
  const valid =
    wholeUpTo(cap, ACCOUNT_MAX_STREAMS_LIMIT) && wholeUpTo(wait, ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS)
  const changed = cap !== loadedCap || wait !== loadedWait

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!valid) return
    save.mutate({ accountMaxStreams: Number(cap), accountQueueWaitSeconds: Number(wait) })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Layers className="size-4 text-muted-foreground" /> Concurrency
        </CardTitle>
        <CardDescription>
          How many requests one account serves at once. When every account is at its cap, a request
          waits for a free slot, first come first served, and is then answered 429. An account can
          set its own cap in its menu on the Accounts page.
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
              <LimitInput
                id="account-max-streams"
                label="Streams per account"
                unit="at once"
                max={ACCOUNT_MAX_STREAMS_LIMIT}
                value={cap}
                onChange={setCap}
              />
              <LimitInput
                id="account-queue-wait"
                label="Wait for a free slot"
                unit="seconds"
                max={ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS}
                value={wait}
                onChange={setWait}
              />
            </div>
            <div className="flex gap-2">
              <Button type="submit" size="sm" disabled={!changed || !valid || save.isPending}>
                Save limits
              </Button>
              <Button
                type="button"
                size="sm"
                variant="outline"
                disabled={save.isPending}
                onClick={() =>
                  save.mutate({ accountMaxStreams: null, accountQueueWaitSeconds: null })
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
