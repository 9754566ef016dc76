import type { AccountSummary } from '@codex-lb/shared'
import { useMutation, useQuery } from '@tanstack/react-query'
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
import { OtpInput, sessionQuery } from '@/features/auth'
import { errorMessage, isApiError } from '@/lib/api-client'
import { accountLabel } from '../account-state'
import { exportAuthJson } from '../api'

/** Hands a blob to the browser as a download under `filename`. */
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/**
 * "Export auth.json": asks for the dashboard password again (and a code when TOTP is on), then
 * downloads the account's tokens as the file Codex CLI reads. A refusal stays in the dialog.
 */
export function ExportAuthJsonDialog({
  account,
  onClose,
}: {
  account: AccountSummary
  onClose(): void
}) {
  const session = useQuery(sessionQuery())
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [askCode, setAskCode] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const name = accountLabel(account)
  const needsCode = askCode || session.data?.totpConfigured === true
  const noPassword = session.data !== undefined && !session.data.passwordRequired

  const download = useMutation({
    mutationFn: () =>
      exportAuthJson(account.accountId, {
        password,
        ...(needsCode && code !== '' ? { totpCode: code } : {}),
      }),
    onSuccess: ({ blob, filename }) => {
      const file = filename ?? `auth-${account.accountId}.json`
      saveBlob(blob, file)
      toast.success(`Saved ${file}`)
      onClose()
    },
    onError: (err) => {
      if (isApiError(err) && err.code === 'totp_code_required') setAskCode(true)
      setError(errorMessage(err))
      setCode('')
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    if (password !== '') download.mutate()
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">
        <form onSubmit={submit} className="space-y-5" noValidate>
          <DialogHeader>
            <DialogTitle>Export auth.json for {name}</DialogTitle>
            <DialogDescription>
              The file holds this account&apos;s live tokens: whoever has it can use the account.
              Codex and codex-lb then share one sign-in, and when either refreshes the token the
              other&apos;s copy can stop working.
            </DialogDescription>
          </DialogHeader>
          {noPassword ? (
            <p role="alert" className="text-sm text-destructive">
              Exporting credentials requires a dashboard password, and none is set: set one in
              Settings first.
            </p>
          ) : (
            <>
              <div className="space-y-2">
                <Label htmlFor="export-password">Dashboard password</Label>
                <Input
                  id="export-password"
                  type="password"
                  autoComplete="current-password"
                  autoFocus
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </div>
              {needsCode ? (
                <div className="space-y-2">
                  <Label htmlFor="export-totp">Authenticator code</Label>
                  <OtpInput id="export-totp" value={code} onChange={setCode} />
                </div>
              ) : null}
              {error ? (
                <p role="alert" className="text-sm text-destructive">
                  {error}
                </p>
              ) : null}
            </>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            {noPassword ? null : (
              <Button
                type="submit"
                disabled={download.isPending || password === '' || (needsCode && code.length !== 6)}
              >
                Export
              </Button>
            )}
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
