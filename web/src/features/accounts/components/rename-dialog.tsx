import { ACCOUNT_ALIAS_MAX, type AccountSummary } from '@codex-lb/shared'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { setAccountAlias } from '../api'
import { accountKeys } from '../queries'
import { AccountSettingDialog } from './account-setting-dialog'

/** Gives the account a display name; an empty field goes back to the email. */
export function RenameDialog({ account, onClose }: { account: AccountSummary; onClose(): void }) {
  const queryClient = useQueryClient()
  const [text, setText] = useState(account.alias ?? '')
  const alias = text.trim()
  const tooLong = alias.length > ACCOUNT_ALIAS_MAX
  const fallback = account.email || account.accountId
  const save = useMutation({
    mutationFn: () => setAccountAlias(account.accountId, alias === '' ? null : alias),
    onSuccess: async () => {
      toast.success(alias === '' ? `${fallback} shows its email again` : `Renamed to ${alias}`)
      // Request logs and the overview name accounts too.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ])
      onClose()
    },
    onError: (err) => toast.error(errorMessage(err)),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!tooLong) save.mutate()
  }
  return (
    <AccountSettingDialog
      title={`Rename ${fallback}`}
      description="The dashboard shows this name instead of the email. Leave it empty to show the email."
      saving={save.isPending || tooLong}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="space-y-2">
        <Label htmlFor="account-alias">Display name</Label>
        <Input
          id="account-alias"
          placeholder={fallback}
          aria-invalid={tooLong ? true : undefined}
          aria-describedby={tooLong ? 'account-alias-error' : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {tooLong ? (
          <p id="account-alias-error" className="text-sm text-destructive">
            At most {ACCOUNT_ALIAS_MAX} characters
          </p>
        ) : null}
      </div>
    </AccountSettingDialog>
  )
}
