import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { LockKeyhole } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '@/components/ui/card'
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
import { changePassword, removePassword, setupPassword } from '../api'
import { authKeys, sessionQuery, useRefreshAuthState } from '../queries'

const MIN_LENGTH = 8

function PasswordField({
  id,
  label,
  value,
  onChange,
  autoComplete,
  autoFocus,
}: {
  id: string
  label: string
  value: string
  onChange(value: string): void
  autoComplete: string
  autoFocus?: boolean
}) {
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="password"
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  )
}

/** New-password rules mirror the server (≥ 8 characters after trimming) so errors show before submit. */
function newPasswordProblem(next: string, confirm: string): string | null {
  if (!next) return null
  if (next.trim().length < MIN_LENGTH) return `Use at least ${MIN_LENGTH} characters`
  if (confirm && next !== confirm) return 'Passwords do not match'
  return null
}

function SetPasswordForm() {
  const queryClient = useQueryClient()
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const setup = useMutation({
    mutationFn: setupPassword,
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.session(), session)
      void queryClient.invalidateQueries({ queryKey: ['settings'] })
      toast.success('Password set: the dashboard now asks for it')
    },
  })
  const problem = newPasswordProblem(next, confirm)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!problem && next === confirm) setup.mutate(next)
  }
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
      <PasswordField
        id="new-password"
        label="New password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
      />
      <PasswordField
        id="confirm-password"
        label="Confirm"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
      />
      <Button type="submit" disabled={!next || next !== confirm || !!problem || setup.isPending}>
        Set password
      </Button>
      {problem || setup.isError ? (
        <p className="text-sm text-destructive sm:col-span-3">
          {problem ?? errorMessage(setup.error)}
        </p>
      ) : null}
    </form>
  )
}

function ChangePasswordDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange(o: boolean): void
}) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const change = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: () => {
      toast.success('Password changed')
      onOpenChange(false)
    },
  })
  const problem = newPasswordProblem(next, confirm)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (current && !problem && next === confirm) change.mutate()
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">
        <form onSubmit={submit} className="space-y-4">
          <DialogHeader>
            <DialogTitle>Change password</DialogTitle>
            <DialogDescription>Other signed-in browsers stay signed in.</DialogDescription>
          </DialogHeader>
          <PasswordField
            id="current-password"
            label="Current password"
            value={current}
            onChange={setCurrent}
            autoComplete="current-password"
            autoFocus
          />
          <PasswordField
            id="change-new-password"
            label="New password"
            value={next}
            onChange={setNext}
            autoComplete="new-password"
          />
          <PasswordField
            id="change-confirm-password"
            label="Confirm new password"
            value={confirm}
            onChange={setConfirm}
            autoComplete="new-password"
          />
          {problem || change.isError ? (
            <p className="text-sm text-destructive">{problem ?? errorMessage(change.error)}</p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button
              type="submit"
              disabled={!current || !next || next !== confirm || !!problem || change.isPending}
            >
              Change password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

function RemovePasswordDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange(o: boolean): void
}) {
  const refresh = useRefreshAuthState()
  const [password, setPassword] = useState('')
  const remove = useMutation({
    mutationFn: () => removePassword(password),
    onSuccess: () => {
      toast.success('Password removed')
      onOpenChange(false)
      refresh()
    },
  })
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault()
            if (password) remove.mutate()
          }}
        >
          <DialogHeader>
            <DialogTitle>Remove password?</DialogTitle>
            <DialogDescription>
              The dashboard becomes open to anyone who can reach it, and two-factor authentication
              is turned off too.
            </DialogDescription>
          </DialogHeader>
          <PasswordField
            id="remove-password"
            label="Current password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            autoFocus
          />
          {remove.isError ? (
            <p className="text-sm text-destructive">{errorMessage(remove.error)}</p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={!password || remove.isPending}>
              Remove password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

export function PasswordCard() {
  const session = useQuery(sessionQuery())
  const [dialog, setDialog] = useState<'change' | 'remove' | null>(null)
  const hasPassword = session.data?.passwordRequired ?? false
  return (
    <Card id="password">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <LockKeyhole className="size-4 text-muted-foreground" /> Password
        </CardTitle>
        <CardDescription>
          {hasPassword
            ? 'The dashboard asks for this password. Sessions last 12 hours.'
            : 'Anyone who can reach this page can manage accounts and keys.'}
        </CardDescription>
        <CardAction>
          {hasPassword ? (
            <Badge variant="success">Set</Badge>
          ) : (
            <Badge variant="warning">Not set</Badge>
          )}
        </CardAction>
      </CardHeader>
      <CardContent>
        {hasPassword ? (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" onClick={() => setDialog('change')}>
              Change password
            </Button>
            <Button
              variant="ghost"
              className="text-destructive hover:text-destructive"
              onClick={() => setDialog('remove')}
            >
              Remove
            </Button>
          </div>
        ) : (
          <SetPasswordForm />
        )}
      </CardContent>
      {dialog === 'change' ? (
        <ChangePasswordDialog open onOpenChange={() => setDialog(null)} />
      ) : null}
      {dialog === 'remove' ? (
        <RemovePasswordDialog open onOpenChange={() => setDialog(null)} />
      ) : null}
    </Card>
  )
}
