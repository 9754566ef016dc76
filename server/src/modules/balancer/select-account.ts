import { effectiveStatus, unusableReason, type AccountState } from './account-state.js'

export interface SelectionOptions {
  preferEarlierReset: boolean
  /** Accounts already tried for this request. */
  exclude?: ReadonlySet<string>
  /** The sticky pin for this conversation, if any: kept whenever that account is usable. */
  pinnedAccountId?: string | undefined
}

export type Selection =
  | { kind: 'selected'; account: AccountState; sticky: boolean }
  | {
      kind: 'exhausted'
      /** no_accounts: none configured or all paused/deactivated; limited: all used up until a
       * reset; cooling_down: transient errors, retry soon. */
      reason: 'no_accounts' | 'limited' | 'cooling_down'
      message: string
      /** Earliest time an account becomes usable again (epoch ms), when known. */
      retryAt: number | undefined
      /** limited: the plan of the account whose limit lifts first (clients show it). */
      planType?: string
    }

const DAY_MS = 86_400_000

function rankKey(a: AccountState, now: number, preferEarlierReset: boolean): number[] {
  const secondary = a.secondaryUsedPercent ?? a.primaryUsedPercent ?? 0
  const primary = a.primaryUsedPercent ?? 0
  const key = [secondary, primary, a.lastSelectedAt ?? 0]
  if (preferEarlierReset) {
    const bucket =
      a.secondaryResetAt === null
        ? 10_000
        : Math.max(0, Math.floor((a.secondaryResetAt - now) / DAY_MS))
    key.unshift(bucket)
  }
  return key
}

function compareKeys(x: number[], y: number[]): number {
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Picks the account for one attempt. Pure: the caller supplies states and the clock. The most
 * remaining quota wins (weekly window first, then the 5-hour one); ties go to the least recently
 * used account, so equal accounts take turns instead of one taking everything.
 */
export function selectAccount(
  accounts: readonly AccountState[],
  now: number,
  options: SelectionOptions,
): Selection {
  const candidates = accounts.filter(
    (a) => !options.exclude?.has(a.id) && unusableReason(a, now) === null,
  )
  const pinned = candidates.find((a) => a.id === options.pinnedAccountId)
  if (pinned) return { kind: 'selected', account: pinned, sticky: true }
  let best: AccountState | undefined
  let bestKey: number[] = []
  for (const a of candidates) {
    const key = rankKey(a, now, options.preferEarlierReset)
    if (
      !best ||
      compareKeys(key, bestKey) < 0 ||
      (compareKeys(key, bestKey) === 0 && a.id < best.id)
    ) {
      best = a
      bestKey = key
    }
  }
  if (best) return { kind: 'selected', account: best, sticky: false }
  return exhausted(accounts, now, options.exclude)
}

function exhausted(
  accounts: readonly AccountState[],
  now: number,
  exclude: ReadonlySet<string> | undefined,
): Selection {
  const usable = accounts.filter((a) => {
    const s = effectiveStatus(a, now).status
    return s !== 'paused' && s !== 'deactivated'
  })
  if (usable.length === 0) {
    const message =
      accounts.length === 0
        ? 'No accounts are configured. Add one in the dashboard (Accounts → Add account) or run `codex-lb accounts import ~/.codex/auth.json`.'
        : 'All accounts are paused or need to sign in again. Reactivate or re-login an account in the dashboard.'
    return { kind: 'exhausted', reason: 'no_accounts', message, retryAt: undefined }
  }
  const limited = usable
    .map((a) => ({ account: a, ...effectiveStatus(a, now) }))
    .filter((e) => e.status === 'rate_limited' || e.status === 'quota_exceeded')
  const triedAll = exclude !== undefined && usable.every((a) => exclude.has(a.id))
  if (limited.length === usable.length) {
    let first = limited[0]!
    for (const e of limited) {
      if (e.resetAt !== null && (first.resetAt === null || e.resetAt < first.resetAt)) first = e
    }
    return {
      kind: 'exhausted',
      reason: 'limited',
      message: 'The usage limit has been reached on every account.',
      retryAt: first.resetAt ?? undefined,
      planType: first.account.planType,
    }
  }
  const future = usable.map((a) => a.cooldownUntil ?? 0).filter((c) => c > now)
  return {
    kind: 'exhausted',
    reason: 'cooling_down',
    message: triedAll
      ? 'No account could serve this request; every account failed or is cooling down.'
      : 'Every account is cooling down after errors. Try again shortly.',
    retryAt: future.length ? Math.min(...future) : undefined,
  }
}
