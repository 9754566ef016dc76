import type { AccountSummary } from '@codex-lb/shared'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  Activity,
  Gauge,
  KeyRound,
  Layers,
  LogIn,
  MoreHorizontal,
  Pause,
  Pencil,
  Play,
  Trash2,
} from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime } from '@/lib/format'
import { accountLabel, accountState } from '../account-state'
import { deleteAccount, pauseAccount, reactivateAccount, refreshAccountToken } from '../api'
import { accountKeys } from '../queries'
import { CheckDialog } from './check-dialog'
import { HeadroomDialog } from './headroom-dialog'
import { RenameDialog } from './rename-dialog'
import { StreamCapDialog } from './stream-cap-control'

export function AccountActions({
  account,
  onRelogin,
  onDeleted,
}: {
  account: AccountSummary
  onRelogin(): void
  /** After a delete went through (the account page leaves for the list). */
  onDeleted?(): void
}) {
  const queryClient = useQueryClient()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [editCeiling, setEditCeiling] = useState(false)
  const [editCap, setEditCap] = useState(false)
  const [renaming, setRenaming] = useState(false)
  const [checking, setChecking] = useState(false)
  const name = accountLabel(account)
  const invalidate = () =>
    // The overview aggregates accounts too.
    Promise.all([
      queryClient.invalidateQueries({ queryKey: accountKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['overview'] }),
    ])
  const toggle = useMutation({
    mutationFn: (pause: boolean) =>
      pause ? pauseAccount(account.accountId) : reactivateAccount(account.accountId),
    onSuccess: (_data, pause) => {
      toast.success(pause ? `Paused ${name}` : `Resumed ${name}`)
      return invalidate()
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
  const remove = useMutation({
    mutationFn: () => deleteAccount(account.accountId),
    onSuccess: () => {
      toast.success(`Deleted ${name}`)
      onDeleted?.()
      return invalidate()
    },
  })
  const refreshToken = useMutation({
    mutationFn: () => refreshAccountToken(account.accountId),
    onSuccess: (result) => {
      if (!result.error) {
        const until = result.tokenExpiresAt
          ? `, valid until ${formatDateTime(result.tokenExpiresAt)}`
          : ''
        toast.success(`Refreshed the token of ${name}${until}`)
      } else if (result.error.permanent) {
        toast.error(`${name} needs a new sign-in: ${result.error.message} (account deactivated)`)
      } else {
        toast.error(`Could not refresh the token of ${name}: ${result.error.message}`)
      }
      return invalidate()
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
  const paused = account.status === 'paused'
  const inactive = paused || account.status === 'deactivated'
  const { needsRelogin } = accountState(account)

  return (
    <>
      <div className="flex items-center justify-end gap-1">
        {needsRelogin ? (
          <Button size="sm" variant="outline" onClick={onRelogin}>
            <LogIn /> Re-login
          </Button>
        ) : inactive ? (
          <Button
            size="sm"
            variant="outline"
            onClick={() => toggle.mutate(false)}
            disabled={toggle.isPending}
          >
            <Play /> {paused ? 'Resume' : 'Reactivate'}
          </Button>
        ) : null}
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${name}`}>
              <MoreHorizontal />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            {inactive ? (
              <DropdownMenuItem onSelect={() => toggle.mutate(false)}>
                <Play /> {paused ? 'Resume' : 'Reactivate'}
              </DropdownMenuItem>
            ) : (
              <DropdownMenuItem onSelect={() => toggle.mutate(true)}>
                <Pause /> Pause
              </DropdownMenuItem>
            )}
            <DropdownMenuItem onSelect={onRelogin}>
              <LogIn /> Sign in again
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setRenaming(true)}>
              <Pencil /> Rename…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setChecking(true)}>
              <Activity /> Check now
            </DropdownMenuItem>
            <DropdownMenuItem
              onSelect={() => refreshToken.mutate()}
              disabled={refreshToken.isPending}
            >
              <KeyRound /> Refresh token now
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setEditCeiling(true)}>
              <Gauge /> Usage ceiling…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setEditCap(true)}>
              <Layers /> Concurrency cap…
            </DropdownMenuItem>
            <DropdownMenuSeparator />
            <DropdownMenuItem variant="destructive" onSelect={() => setConfirmDelete(true)}>
              <Trash2 /> Delete
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      {editCeiling ? (
        <HeadroomDialog account={account} onClose={() => setEditCeiling(false)} />
      ) : null}
      {editCap ? <StreamCapDialog account={account} onClose={() => setEditCap(false)} /> : null}
      {renaming ? <RenameDialog account={account} onClose={() => setRenaming(false)} /> : null}
      {checking ? <CheckDialog account={account} onClose={() => setChecking(false)} /> : null}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title="Delete account?"
        description={
          <>
            <span className="font-medium text-foreground">{name}</span> leaves the pool and its
            stored tokens are erased. You can add it again later by signing in.
          </>
        }
        confirmLabel="Delete account"
        onConfirm={() => remove.mutateAsync()}
      />
    </>
  )
}
