import { Loader2 } from 'lucide-react'
import type { ReactNode } from 'react'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'

/** The first step of an OAuth flow: what it does, why the start failed, and the button to start. */
export function OauthStartStep({
  description,
  icon,
  label,
  pending,
  error,
  onStart,
}: {
  description: ReactNode
  icon: ReactNode
  label: string
  pending: boolean
  error: unknown
  onStart(): void
}) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground">{description}</p>
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(error)}</AlertDescription>
        </Alert>
      ) : null}
      <Button onClick={onStart} disabled={pending} className="w-full">
        {pending ? <Loader2 className="animate-spin" /> : icon}
        {label}
      </Button>
    </div>
  )
}
