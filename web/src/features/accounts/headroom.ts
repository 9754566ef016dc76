import type { AccountSummary, DashboardSettings } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { settingsQuery } from '@/features/settings'

/** Usage ceilings in percent used per window; 100 means none. */
export interface Ceilings {
  primary: number
  secondary: number
}

/** The account's own ceiling where it has one, else the global setting (100 before it loads). */
export function effectiveCeilings(
  account: AccountSummary,
  settings: DashboardSettings | undefined,
): Ceilings {
  return {
    primary: account.headroom?.primaryPercent ?? settings?.headroomPrimaryPercent ?? 100,
    secondary: account.headroom?.secondaryPercent ?? settings?.headroomSecondaryPercent ?? 100,
  }
}

/** Ceilings per account for drawing on its usage bars. */
export function useCeilings(): (account: AccountSummary) => Ceilings {
  const settings = useQuery(settingsQuery())
  return (account) => effectiveCeilings(account, settings.data)
}

/** "80 %" with at most one decimal. */
export function percentLabel(value: number): string {
  return `${Math.round(value * 10) / 10}%`
}
