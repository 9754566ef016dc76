/**
 * The selection rows of `npm run bench`: what one pick costs a request with 200 accounts in the
 * pool, per routing strategy. In process, through AccountPool.select (the snapshot copy, the gates,
 * the strategy and the bookkeeping of a pick), with the database replaced by an in-memory one.
 */
import type { FastifyBaseLogger } from 'fastify'
import {
  AccountPool,
  ROUTING_STRATEGIES,
  type AccountState,
  type BalancerRepository,
} from '../src/modules/balancer/index.js'
import { pct } from './harness.js'

const ACCOUNTS = 200
const PICKS = 20_000
const HOUR = 3_600_000
const PLANS = ['plus', 'pro', 'team', 'free']

/** A varied pool: usage all over the place, a few positions, some limited, paused or cooling. */
function pool(now: number): AccountState[] {
  return Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: `acct_${String(i).padStart(3, '0')}`,
    status: i % 37 === 0 ? 'paused' : i % 23 === 0 ? 'rate_limited' : 'active',
    planType: PLANS[i % PLANS.length]!,
    resetAt: i % 23 === 0 ? now + HOUR : null,
    cooldownUntil: i % 41 === 0 ? now + 60_000 : null,
    errorCount: 0,
    lastErrorAt: null,
    lastSelectedAt: now - ((i * 7919) % 100_000),
    primaryUsedPercent: (i * 37) % 100,
    primaryResetAt: now + ((i * 13) % 5) * HOUR,
    secondaryUsedPercent: (i * 53) % 100,
    secondaryResetAt: now + ((i * 17) % 7) * 24 * HOUR,
    routeOrder: i % 10 === 0 ? (i % 7) + 1 : null,
    createdAt: now - (ACCOUNTS - i) * 60_000,
  }))
}

function inMemoryRepository(states: AccountState[]): BalancerRepository {
  return {
    loadStates: async () => states,
    writeState: async () => undefined,
    getPin: async () => undefined,
    upsertPin: async () => undefined,
    deletePinsOlderThan: async () => 0,
  } as unknown as BalancerRepository
}

const silent = { warn() {}, error() {} } as unknown as FastifyBaseLogger

/** Prints one row per strategy; returns the slowest strategy's mean microseconds per pick. */
export async function selectionRows(): Promise<number> {
  const now = Date.now()
  const pools = new AccountPool(inMemoryRepository(pool(now)), { now: () => now }, silent, {
    snapshotTtlMs: 60_000,
    stickyTtlMs: 60_000,
  })
  const none = new Set<string>()
  console.log(`\n${`selection among ${ACCOUNTS} accounts`.padEnd(34)}  mean µs   p99 µs`)
  let slowest = 0
  for (const strategy of ROUTING_STRATEGIES) {
    const pick = () =>
      pools.select({ stickyKey: undefined, exclude: none, preferEarlierReset: false, strategy })
    for (let i = 0; i < 2000; i++) await pick()
    const samples: number[] = []
    const start = performance.now()
    for (let i = 0; i < PICKS; i++) {
      const t = performance.now()
      const selection = await pick()
      samples.push(performance.now() - t)
      if (selection.kind !== 'selected') throw new Error(`${strategy}: nothing selected`)
    }
    const mean = ((performance.now() - start) / PICKS) * 1000
    slowest = Math.max(slowest, mean)
    console.log(
      `${strategy.padEnd(34)}${mean.toFixed(1).padStart(9)}${(pct(samples, 99) * 1000).toFixed(1).padStart(9)}`,
    )
  }
  await pools.flush()
  return slowest
}
