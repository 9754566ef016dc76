import type { AccountState } from '../../src/modules/balancer/index.js'

/** A usable account as the balancer sees it, with no usage known: tests override what matters. */
export function accountState(id: string, over: Partial<AccountState> = {}): AccountState {
  return {
    id,
    status: 'active',
    planType: 'plus',
    resetAt: null,
    cooldownUntil: null,
    errorCount: 0,
    lastErrorAt: null,
    lastSelectedAt: null,
    primaryUsedPercent: null,
    primaryResetAt: null,
    secondaryUsedPercent: null,
    secondaryResetAt: null,
    ...over,
  }
}
