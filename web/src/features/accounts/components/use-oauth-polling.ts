import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { oauthStatusQuery } from '../queries'

/**
 * Polls /api/oauth/status while a sign-in is under way and reports success once. The server keeps one
 * login slot, so the status always belongs to the flow this dialog started.
 */
export function useOauthPolling(active: boolean, intervalSeconds: number, onSuccess: () => void) {
  const status = useQuery({
    ...oauthStatusQuery(Math.max(2, intervalSeconds) * 1000),
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
      onSuccess()
    }
  }, [active, latest, onSuccess])
  return {
    status: latest ?? 'pending',
    errorMessage: latest === 'error' ? (status.data?.errorMessage ?? 'Sign-in failed') : null,
  }
}
