import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Loader2 } from 'lucide-react'
import { useEffect, type ReactNode } from 'react'
import { QueryError } from '@/components/query-error'
import { setUnauthorizedHandler } from '@/lib/api-client'
import { authStep } from '../access'
import { authKeys, sessionQuery } from '../queries'
import { LoginScreen } from './login-screen'
import { TotpScreen } from './totp-screen'

/**
 * Renders the app only when the session allows it. Any 401 from another endpoint re-reads the session,
 * so an expired cookie lands on the login screen instead of a page of errors.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const session = useQuery(sessionQuery())

  useEffect(() => {
    setUnauthorizedHandler(() => {
      void queryClient.invalidateQueries({ queryKey: authKeys.session() })
    })
    return () => setUnauthorizedHandler(undefined)
  }, [queryClient])

  if (session.isPending) {
    return (
      <div className="flex min-h-dvh items-center justify-center text-muted-foreground">
        <Loader2 className="size-5 animate-spin" aria-label="Loading" />
      </div>
    )
  }
  if (session.isError) {
    return (
      <div className="flex min-h-dvh items-center justify-center">
        <QueryError
          error={session.error}
          what="the dashboard session"
          onRetry={() => void session.refetch()}
        />
      </div>
    )
  }
  const step = authStep(session.data)
  if (step === 'password') return <LoginScreen />
  if (step === 'totp') return <TotpScreen passwordStep={session.data.passwordRequired} />
  return <>{children}</>
}
