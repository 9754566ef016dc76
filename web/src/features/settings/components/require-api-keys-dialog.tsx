import { useQuery } from '@tanstack/react-query'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { apiKeysQuery } from '@/features/api-keys'
import { useUpdateSettings } from '../queries'

/**
 * Turning key enforcement on refuses every client that has no key, at once (seed 004 §12.3): say so,
 * with how many keys exist, before the setting is sent. Turning it off needs no warning.
 */
export function RequireApiKeysDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange(open: boolean): void
}) {
  const update = useUpdateSettings()
  const keys = useQuery({ ...apiKeysQuery(), enabled: open })
  const count = keys.data?.filter((k) => k.isActive).length
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Require API keys?"
      description={
        <>
          Requests to <code className="font-mono">/v1</code> and{' '}
          <code className="font-mono">/backend-api/codex</code> without an active key are refused
          with 401 from now on, including Codex set up with{' '}
          <code className="font-mono">requires_openai_auth</code>.{' '}
          {count === 0 ? (
            <strong className="text-foreground">
              There are no active API keys yet: all proxy traffic will be refused until you create
              one.
            </strong>
          ) : count !== undefined ? (
            `${count} active ${count === 1 ? 'key' : 'keys'} can be used.`
          ) : null}
        </>
      }
      confirmLabel="Require API keys"
      onConfirm={() => update.mutateAsync({ apiKeyAuthEnabled: true })}
    />
  )
}
