import { CloudOff, RotateCw, ServerCrash } from 'lucide-react'
import { isApiError } from '@/lib/api-client'
import { EmptyState } from './empty-state'
import { Button } from './ui/button'

/**
 * The error state for a failed query. A 404 means this server does not have the endpoint yet (the
 * dashboard can be newer than the server), which deserves a calmer message than a crash.
 */
export function QueryError({
  error,
  onRetry,
  what,
  className,
}: {
  error: unknown
  onRetry?: () => void
  what: string
  className?: string
}) {
  const missing = isApiError(error) && (error.status === 404 || error.status === 501)
  const offline = isApiError(error) && error.code === 'network_error'
  const description = missing
    ? `This server does not provide ${what} yet.`
    : error instanceof Error
      ? error.message
      : 'Something went wrong.'
  return (
    <EmptyState
      icon={offline ? CloudOff : ServerCrash}
      title={missing ? `${capitalize(what)} unavailable` : `Could not load ${what}`}
      description={description}
      {...(className ? { className } : {})}
      action={
        onRetry && !missing ? (
          <Button variant="outline" size="sm" onClick={onRetry}>
            <RotateCw /> Try again
          </Button>
        ) : undefined
      }
    />
  )
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
