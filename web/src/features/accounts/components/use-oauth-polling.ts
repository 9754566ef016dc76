import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { oauthStatusQuery } from '../queries'

/**
 * Polls /api/oauth/status for the flow this dialog started (its `flowId`: several sign-ins may run
 * at once) and reports success once, with the signed-in email when the server names it.
 */
export function useOauthPolling(
  active: boolean,
  flowId: string | null | undefined,
  intervalSeconds: number,
  onSuccess: (email: string | null) => void,
) {
  const status = useQuery({
    ...oauthStatusQuery(flowId ?? null, Math.max(2, intervalSeconds) * 1000),
    enabled: active,
  })
  const done = useRef(false)
  const latest = status.data?.status
  useEffect(() => {
    if (!active) done.current = false
  }, [active])
  useEffect(() => {
    if (active && latest === 'success' && !done.current) {
      done.current = true
      onSuccess(status.data?.email ?? null)
    }
  }, [active, latest, onSuccess, status.data?.email])
  return {
    status: latest ?? 'pending',
    errorMessage: latest === 'error' ? (status.data?.errorMessage ?? 'Sign-in failed') : null,
  }
}
