import type { AccountState } from './account-state.js'
import type { AccountGate } from './exclusions.js'

/** The global usage ceilings (percent used per window; 100 = none). */
export interface HeadroomDefaults {
  primaryPercent: number
  secondaryPercent: number
}

/**
 * Until when one window keeps the account above its ceiling: undefined when it does not (no
 * ceiling, no sample, under it, or the window already reset), null when its reset is unknown.
 */
function aboveUntil(
  used: number | null,
  resetAt: number | null,
  ceiling: number,
  now: number,
): number | null | undefined {
  if (ceiling >= 100 || used === null || used < ceiling) return undefined
  if (resetAt !== null && resetAt <= now) return undefined
  return resetAt
}

/**
 * The headroom gate: an account at or above its usage ceiling in a window is out (reason
 * `headroom`) until that window resets, so routing leaves it the rest (for its owner's own ChatGPT
 * use, say). A per-account ceiling overrides the global one. Above both: out until the later reset.
 */
export function headroomGate(defaults: HeadroomDefaults): AccountGate {
  return (a: AccountState, now: number) => {
    const primary = aboveUntil(
      a.primaryUsedPercent,
      a.primaryResetAt,
      a.headroomPrimaryPercent ?? defaults.primaryPercent,
      now,
    )
    const secondary = aboveUntil(
      a.secondaryUsedPercent,
      a.secondaryResetAt,
      a.headroomSecondaryPercent ?? defaults.secondaryPercent,
      now,
    )
    if (primary === undefined && secondary === undefined) return null
    if (primary === undefined) return { reason: 'headroom', until: secondary ?? null }
    if (secondary === undefined) return { reason: 'headroom', until: primary }
    const until = primary === null || secondary === null ? null : Math.max(primary, secondary)
    return { reason: 'headroom', until }
  }
}
