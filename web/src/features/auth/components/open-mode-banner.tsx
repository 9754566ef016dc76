import { useQuery } from '@tanstack/react-query'
import { Info, ShieldAlert } from 'lucide-react'
import { Link } from 'wouter'
import { isOpen } from '../access'
import { sessionQuery } from '../queries'

/** Reachable from other machines with nothing protecting it: said loudly, on every page. */
function ExposedBanner({ lines }: { lines: string[] }) {
  return (
    <div
      role="alert"
      className="flex items-start gap-2 border-b border-destructive/30 bg-destructive/10 px-4 py-2 text-sm text-destructive lg:px-8"
    >
      <ShieldAlert className="mt-0.5 size-4 shrink-0" />
      <div className="space-y-0.5">
        {lines.map((line) => (
          <p key={line}>{line.replace(/^EXPOSED: /, '')}.</p>
        ))}
        <p className="text-foreground">
          <Link
            href="/settings#password"
            className="font-medium underline-offset-4 hover:underline"
          >
            Set a password and require API keys
          </Link>
          , or bind to 127.0.0.1.
        </p>
      </div>
    </div>
  )
}

export function OpenModeBanner() {
  const session = useQuery(sessionQuery())
  if (session.data?.exposure?.length) return <ExposedBanner lines={session.data.exposure} />
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
