import { useQuery } from '@tanstack/react-query'
import { Info } from 'lucide-react'
import { Link } from 'wouter'
import { isOpen } from '../access'
import { sessionQuery } from '../queries'

export function OpenModeBanner() {
  const session = useQuery(sessionQuery())
  // Not in the TOTP-only state either: codes protect it even without a password.
  if (!session.data || !isOpen(session.data)) return null
  return (
    <div className="flex items-center gap-2 border-b border-info/20 bg-info/5 px-4 py-2 text-sm text-muted-foreground lg:px-8">
      <Info className="size-4 shrink-0 text-info" />
      <span>
        This dashboard is open to anyone who can reach it.{' '}
        <Link
          href="/settings#password"
          className="font-medium text-foreground underline-offset-4 hover:underline"
        >
          Set a password
        </Link>{' '}
        to protect it.
      </span>
    </div>
  )
}
