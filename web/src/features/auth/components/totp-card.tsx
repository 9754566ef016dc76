import { useMutation, useQuery } from '@tanstack/react-query'
import { Loader2, ShieldCheck } from 'lucide-react'
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { toast } from 'sonner'
import { CopyButton } from '@/components/copy-button'
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
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { confirmTotpSetup, disableTotp, startTotpSetup } from '../api'
import { sessionQuery, useRefreshAuthState } from '../queries'
import { OtpInput } from './otp-input'

function SetupDialog({ onClose }: { onClose(): void }) {
  const refresh = useRefreshAuthState()
  const [code, setCode] = useState('')
  const start = useMutation({ mutationFn: startTotpSetup })
  const { mutate: begin } = start
  useEffect(() => {
    // Nothing is stored until confirm: each opening gets a fresh secret.
    begin()
  }, [begin])
  const confirm = useMutation({
    mutationFn: (digits: string) => confirmTotpSetup(start.data?.secret ?? '', digits),
    onSuccess: () => {
      toast.success('Two-factor authentication is on')
      refresh()
      onClose()
    },
    onError: () => setCode(''),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (code.length === 6) confirm.mutate(code)
  }
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        <form onSubmit={submit} className="space-y-4">
          <DialogHeader>
            <DialogTitle>Set up an authenticator</DialogTitle>
            <DialogDescription>
              Scan the code with an authenticator app, then enter the 6-digit code it shows.
            </DialogDescription>
          </DialogHeader>
          {start.isPending ? (
            <div className="flex h-48 items-center justify-center">
              <Loader2 className="size-5 animate-spin text-muted-foreground" />
            </div>
          ) : start.isError ? (
            <p className="text-sm text-destructive">{errorMessage(start.error)}</p>
          ) : start.data ? (
            <div className="space-y-3">
              <div className="flex justify-center">
                <img
                  src={start.data.qrSvgDataUri}
                  alt="QR code for the authenticator app"
                  className="size-48 rounded-lg border bg-white p-2"
                />
              </div>
              <div className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2">
                <code className="flex-1 font-mono text-xs break-all">{start.data.secret}</code>
                <CopyButton
                  value={start.data.secret}
                  size="icon-sm"
                  variant="ghost"
                  label="Copy secret"
                />
              </div>
              <div className="space-y-2">
                <Label htmlFor="totp-setup-code">Code from the app</Label>
                <OtpInput
                  id="totp-setup-code"
                  value={code}
                  onChange={setCode}
                  onComplete={(digits) => !confirm.isPending && confirm.mutate(digits)}
                  invalid={confirm.isError}
                  disabled={confirm.isPending}
                />
              </div>
              {confirm.isError ? (
                <p className="text-sm text-destructive">{errorMessage(confirm.error)}</p>
              ) : null}
            </div>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!start.data || code.length !== 6 || confirm.isPending}>
              Turn on
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

function DisableDialog({ onClose }: { onClose(): void }) {
  const refresh = useRefreshAuthState()
  const [code, setCode] = useState('')
  const disable = useMutation({
    mutationFn: disableTotp,
    onSuccess: () => {
      toast.success('Two-factor authentication is off')
      refresh()
      onClose()
    },
    onError: () => setCode(''),
  })
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault()
            if (code.length === 6) disable.mutate(code)
          }}
        >
          <DialogHeader>
            <DialogTitle>Turn off two-factor?</DialogTitle>
            <DialogDescription>
              Enter a current code from your authenticator to confirm.
            </DialogDescription>
          </DialogHeader>
          <div className="space-y-2">
            <Label htmlFor="totp-disable-code">Code from the app</Label>
            <OtpInput
              id="totp-disable-code"
              value={code}
              onChange={setCode}
              autoFocus
              invalid={disable.isError}
              disabled={disable.isPending}
            />
          </div>
          {disable.isError ? (
            <p className="text-sm text-destructive">{errorMessage(disable.error)}</p>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="destructive"
              disabled={code.length !== 6 || disable.isPending}
            >
              Turn off
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

function describe(configured: boolean, hasPassword: boolean): string {
  if (hasPassword) return 'A code from an authenticator app, on top of the password.'
  if (configured) return 'Codes are asked for without a password. Set a password to turn this off.'
  return 'Set a password first; two-factor adds to it.'
}

export function TotpCard({ enforcement }: { enforcement?: (configured: boolean) => ReactNode }) {
  const session = useQuery(sessionQuery())
  const [dialog, setDialog] = useState<'setup' | 'disable' | null>(null)
  const configured = session.data?.totpConfigured ?? false
  const hasPassword = session.data?.passwordRequired ?? false
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldCheck className="size-4 text-muted-foreground" /> Two-factor authentication
        </CardTitle>
        <CardDescription>{describe(configured, hasPassword)}</CardDescription>
        <CardAction>
          {configured ? <Badge variant="success">On</Badge> : <Badge variant="muted">Off</Badge>}
        </CardAction>
      </CardHeader>
      <CardContent className="space-y-4">
        {configured ? (
          // Turning it off takes the password session (seed 004 §6.4): none in the TOTP-only state.
          <Button variant="outline" disabled={!hasPassword} onClick={() => setDialog('disable')}>
            Turn off
          </Button>
        ) : (
          <Button variant="outline" disabled={!hasPassword} onClick={() => setDialog('setup')}>
            Set up authenticator
          </Button>
        )}
        {enforcement ? <div className="border-t pt-4">{enforcement(configured)}</div> : null}
      </CardContent>
      {dialog === 'setup' ? <SetupDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'disable' ? <DisableDialog onClose={() => setDialog(null)} /> : null}
    </Card>
  )
}
