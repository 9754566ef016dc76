import { describe, expect, it } from 'vitest'
import type { FastifyBaseLogger } from 'fastify'
import type { AccountState } from './account-state.js'
import { AccountPool } from './account-pool.js'
import type { BalancerRepository } from './repository.js'
import { accountState } from '../../../test/support/account-state.js'

const state = (id: string, status: AccountState['status']) =>
  accountState(id, { status, routeOrder: null, createdAt: 0 })

describe('AccountPool snapshot', () => {
  it('does not keep rows read before an invalidation that came while they were loading', async () => {
    const loads: Array<(rows: AccountState[]) => void> = []
    const repo = {
      loadStates: () => new Promise<AccountState[]>((resolve) => loads.push(resolve)),
    } as unknown as BalancerRepository
    const pool = new AccountPool(repo, { now: () => 1000 }, {} as FastifyBaseLogger, {
      snapshotTtlMs: 2000,
      stickyTtlMs: 60_000,
    })
    const reading = pool.states()
    await Promise.resolve()
    // The account is reactivated while the first read is still on its way.
    pool.invalidate()
    loads[0]!([state('a', 'paused')])
    await new Promise((r) => setTimeout(r, 0))
    expect(loads).toHaveLength(2)
    loads[1]!([state('a', 'active')])
    expect((await reading).map((s) => s.status)).toEqual(['active'])
  })
})
