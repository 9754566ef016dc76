import type { ApiKey, ApiKeyCreated } from '@codex-lb/shared'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { KeyRound, MoreHorizontal, Pencil, Plus, RefreshCcw, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { EmptyState } from '@/components/empty-state'
import { QueryError } from '@/components/query-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { Skeleton } from '@/components/ui/skeleton'
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table'
import { formatDateTime, formatRelative, parseDate } from '@/lib/format'
import { deleteApiKey, regenerateApiKey } from '../api'
import { apiKeyKeys, apiKeysQuery } from '../queries'
import { ApiKeyFormDialog } from './api-key-form-dialog'
import { KeyCreatedDialog } from './key-created-dialog'
import { LimitUsage } from './limit-usage'

function KeyStatus({ apiKey }: { apiKey: ApiKey }) {
  const expires = parseDate(apiKey.expiresAt)
  if (!apiKey.isActive) return <Badge variant="muted">Disabled</Badge>
  if (expires && expires.getTime() < Date.now()) return <Badge variant="destructive">Expired</Badge>
  return <Badge variant="success">Active</Badge>
}

type Pending = { kind: 'delete' | 'regenerate'; key: ApiKey } | null

export function ApiKeysManager() {
  const queryClient = useQueryClient()
  const keys = useQuery(apiKeysQuery())
  const [form, setForm] = useState<{ editing: ApiKey | null } | null>(null)
  const [created, setCreated] = useState<{ key: ApiKeyCreated; regenerated: boolean } | null>(null)
  const [pending, setPending] = useState<Pending>(null)
  const invalidate = () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all })
  const remove = useMutation({ mutationFn: deleteApiKey, onSuccess: invalidate })
  const regenerate = useMutation({
    mutationFn: regenerateApiKey,
    onSuccess: (key) => {
      setCreated({ key, regenerated: true })
      return invalidate()
    },
  })
  const openCreate = () => setForm({ editing: null })

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <Button onClick={openCreate}>
          <Plus /> Create key
        </Button>
      </div>
      <Card className="gap-0 overflow-hidden py-0">
        {keys.isPending ? (
          <div className="space-y-3 p-5">
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : keys.isError ? (
          <QueryError error={keys.error} what="API keys" onRetry={() => void keys.refetch()} />
        ) : keys.data.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            title="No API keys yet"
            description="Create a key per client to see who uses what and to cap their usage."
            action={
              <Button onClick={openCreate}>
                <Plus /> Create key
              </Button>
            }
          />
        ) : (
          <Table>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Name</TableHead>
                <TableHead>Models</TableHead>
                <TableHead>Usage</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.data.map((k) => (
                <TableRow key={k.id} data-testid="api-key-row">
                  <TableCell>
                    <div className="font-medium">{k.name}</div>
                    <code className="font-mono text-xs text-muted-foreground">{k.keyPrefix}…</code>
                  </TableCell>
                  <TableCell className="max-w-48">
                    {k.allowedModels?.length ? (
                      <div className="flex flex-wrap gap-1">
                        {k.allowedModels.map((m) => (
                          <Badge key={m} variant="outline" className="font-mono">
                            {m}
                          </Badge>
                        ))}
                      </div>
                    ) : (
                      <span className="text-muted-foreground">All</span>
                    )}
                  </TableCell>
                  <TableCell>
                    {k.limits.length ? (
                      <div className="space-y-2">
                        {k.limits.map((rule) => (
                          <LimitUsage key={rule.id} rule={rule} />
                        ))}
                      </div>
                    ) : (
                      <span className="text-muted-foreground">No limits</span>
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {k.expiresAt ? (
                      <span title={formatDateTime(k.expiresAt)}>{formatRelative(k.expiresAt)}</span>
                    ) : (
                      <span className="text-muted-foreground">Never</span>
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never'}
                  </TableCell>
                  <TableCell>
                    <KeyStatus apiKey={k} />
                  </TableCell>
                  <TableCell className="text-right">
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${k.name}`}>
                          <MoreHorizontal />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuItem onSelect={() => setForm({ editing: k })}>
                          <Pencil /> Edit
                        </DropdownMenuItem>
                        <DropdownMenuItem
                          onSelect={() => setPending({ kind: 'regenerate', key: k })}
                        >
                          <RefreshCcw /> Regenerate
                        </DropdownMenuItem>
                        <DropdownMenuSeparator />
                        <DropdownMenuItem
                          variant="destructive"
                          onSelect={() => setPending({ kind: 'delete', key: k })}
                        >
                          <Trash2 /> Delete
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      {form ? (
        <ApiKeyFormDialog
          editing={form.editing}
          onClose={() => setForm(null)}
          onCreated={(key) => setCreated({ key, regenerated: false })}
        />
      ) : null}
      <KeyCreatedDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={pending?.kind === 'delete'}
        onOpenChange={(open) => !open && setPending(null)}
        title="Delete API key?"
        description={`Clients using “${pending?.key.name ?? ''}” stop working immediately.`}
        confirmLabel="Delete key"
        onConfirm={() => remove.mutateAsync(pending?.key.id ?? '')}
      />
      <ConfirmDialog
        open={pending?.kind === 'regenerate'}
        onOpenChange={(open) => !open && setPending(null)}
        title="Regenerate API key?"
        description={`The current secret of “${pending?.key.name ?? ''}” stops working; limits and usage are kept.`}
        confirmLabel="Regenerate"
        destructive={false}
        onConfirm={() => regenerate.mutateAsync(pending?.key.id ?? '')}
      />
    </div>
  )
}
