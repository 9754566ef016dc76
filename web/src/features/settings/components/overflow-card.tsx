import { OVERFLOW_MODES, type OverflowMode, type OverflowUpstream } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { CloudUpload } from 'lucide-react'
import { useState } from 'react'
import { QueryError } from '@/components/query-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { overflowQuery, useDeleteOverflowUpstream, useSaveOverflowMode } from '../overflow/api'
import { UpstreamForm } from '../overflow/upstream-form'
import { settingsQuery } from '../queries'

const MODE_TEXT: Record<OverflowMode, string> = {
  off: 'Off: requests only ever go to the accounts.',
  exhausted:
    'When exhausted: requests go to an overflow upstream only when no account can serve them (used up, cooling down, at capacity).',
  always:
    'Always: models named on an upstream go there first; the others overflow when the accounts are exhausted.',
}

function UpstreamRow({ upstream, onEdit }: { upstream: OverflowUpstream; onEdit(): void }) {
  const remove = useDeleteOverflowUpstream()
  const readOnly = upstream.source === 'env'
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 py-3">
      <div className="min-w-0 space-y-0.5 text-sm">
        <div className="flex items-center gap-2 font-medium">
          {upstream.name}
          {readOnly ? <Badge variant="secondary">environment</Badge> : null}
          {upstream.cooldownUntil ? <Badge variant="warning">cooling down</Badge> : null}
        </div>
        <div className="truncate text-muted-foreground">
          {upstream.baseUrl} · key {upstream.apiKeyPrefix}
        </div>
        <div className="text-muted-foreground">
          {upstream.models.length === 0
            ? 'Every model'
            : upstream.models
                .map((m) => (m.upstreamModel ? `${m.model} → ${m.upstreamModel}` : m.model))
                .join(', ')}
        </div>
      </div>
      {readOnly ? null : (
        <div className="flex gap-1">
          <Button size="sm" variant="ghost" onClick={onEdit}>
            Edit
          </Button>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Delete ${upstream.name}`}
            disabled={remove.isPending}
            onClick={() => remove.mutate(upstream.id)}
          >
            Delete
          </Button>
        </div>
      )}
    </li>
  )
}

/** Settings → Overflow: the mode and the OpenAI-compatible upstreams used when accounts cannot serve. */
export function OverflowCard() {
  const settings = useQuery(settingsQuery())
  const upstreams = useQuery(overflowQuery())
  const saveMode = useSaveOverflowMode()
  const [editing, setEditing] = useState<string | 'new' | null>(null)
  const mode = settings.data?.overflowMode ?? 'off'
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <CloudUpload className="size-4 text-muted-foreground" /> Overflow
        </CardTitle>
        <CardDescription>
          Send requests to an OpenAI-compatible API (billed per token) when the subscriptions cannot
          serve them.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {settings.isPending || upstreams.isPending ? (
          <Skeleton className="h-20 w-full" />
        ) : settings.isError || upstreams.isError ? (
          <QueryError
            error={settings.error ?? upstreams.error}
            what="overflow settings"
            onRetry={() => void Promise.all([settings.refetch(), upstreams.refetch()])}
          />
        ) : (
          <>
            <div className="space-y-1.5">
              <Label htmlFor="overflow-mode">Overflow mode</Label>
              <NativeSelect
                id="overflow-mode"
                value={mode}
                disabled={saveMode.isPending}
                onChange={(e) => saveMode.mutate(e.target.value as OverflowMode)}
              >
                {OVERFLOW_MODES.map((m) => (
                  <option key={m} value={m}>
                    {m === 'exhausted' ? 'When exhausted' : m === 'always' ? 'Always' : 'Off'}
                  </option>
                ))}
              </NativeSelect>
              <p className="text-sm text-muted-foreground">{MODE_TEXT[mode]}</p>
            </div>
            {upstreams.data.length === 0 ? (
              <p className="text-sm text-muted-foreground">No overflow upstreams yet.</p>
            ) : (
              <ul className="divide-y" aria-label="Overflow upstreams">
                {upstreams.data.map((u) =>
                  editing === u.id ? (
                    <li key={u.id} className="py-3">
                      <UpstreamForm upstream={u} onDone={() => setEditing(null)} />
                    </li>
                  ) : (
                    <UpstreamRow key={u.id} upstream={u} onEdit={() => setEditing(u.id)} />
                  ),
                )}
              </ul>
            )}
            {editing === 'new' ? (
              <UpstreamForm onDone={() => setEditing(null)} />
            ) : (
              <Button variant="outline" onClick={() => setEditing('new')}>
                Add overflow upstream
              </Button>
            )}
          </>
        )}
      </CardContent>
    </Card>
  )
}
