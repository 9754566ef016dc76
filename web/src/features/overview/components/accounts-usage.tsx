import type { AccountSummary } from '@codex-lb/shared'
import { ArrowRight, Users } from 'lucide-react'
import { Link } from 'wouter'
import { EmptyState } from '@/components/empty-state'
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '@/components/ui/card'
import { AccountStatusBadge, UsageMeter, accountLabel } from '@/features/accounts'

export function AccountsUsage({ accounts }: { accounts: AccountSummary[] }) {
  // Lowest remaining first: those are the accounts about to stop serving.
  const sorted = [...accounts]
    .sort(
      (a, b) =>
        (a.usage?.primaryRemainingPercent ?? 100) - (b.usage?.primaryRemainingPercent ?? 100),
    )
    .slice(0, 6)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Accounts</CardTitle>
        <CardDescription>Lowest remaining quota first</CardDescription>
        <CardAction>
          <Link
            href="/accounts"
            className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
          >
            All <ArrowRight className="size-3.5" />
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent>
        {sorted.length === 0 ? (
          <EmptyState
            icon={Users}
            title="No accounts yet"
            description="Add an account to start serving requests."
            className="py-6"
          />
        ) : (
          <ul className="divide-y">
            {sorted.map((a) => (
              <li
                key={a.accountId}
                className="grid gap-2 py-3 first:pt-0 last:pb-0 sm:grid-cols-[1fr_8rem_8rem] sm:items-center sm:gap-4"
              >
                <div className="min-w-0 space-y-1">
                  <p className="truncate text-sm font-medium" title={a.email}>
                    {accountLabel(a)}
                  </p>
                  <AccountStatusBadge account={a} />
                </div>
                <UsageMeter
                  label="5 h"
                  remaining={a.usage?.primaryRemainingPercent}
                  resetAt={a.resetAtPrimary}
                />
                <UsageMeter
                  label="Weekly"
                  remaining={a.usage?.secondaryRemainingPercent}
                  resetAt={a.resetAtSecondary}
                />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
