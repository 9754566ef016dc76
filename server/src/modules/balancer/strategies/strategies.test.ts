import { describe, expect, it } from 'vitest'
import type { AccountState } from '../account-state.js'
import { selectAccount, type SelectionOptions } from '../select-account.js'
import {
  ROUTING_STRATEGIES,
  capacityWeight,
  type RoutePosition,
  type RoutingStrategy,
} from './index.js'
import { accountState } from '../../../../test/support/account-state.js'

const NOW = 1_800_000_000_000
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Accounts are created a minute apart in id order unless a test says otherwise. */
function acct(id: string, over: Partial<AccountState> = {}): AccountState {
  return accountState(id, {
    routeOrder: null,
    createdAt: NOW - 100 * DAY + id.charCodeAt(0) * 60_000,
    ...over,
  })
}

const limited = (id: string, over: Partial<AccountState> = {}) =>
  acct(id, { status: 'rate_limited', resetAt: NOW + HOUR, ...over })

function pick(
  strategy: RoutingStrategy,
  accounts: AccountState[],
  opts: Partial<SelectionOptions> = {},
): string {
  const r = selectAccount(accounts, NOW, { strategy, preferEarlierReset: false, ...opts })
  return r.kind === 'selected' ? r.account.id : `${r.kind}:${r.reason}`
}

/** Picks in a row the way the pool makes them: each continues after the previous one. */
function rotate(strategy: RoutingStrategy, rounds: AccountState[][], after?: RoutePosition) {
  const picks: string[] = []
  let last = after
  for (const accounts of rounds) {
    const r = selectAccount(accounts, NOW, { strategy, preferEarlierReset: false, after: last })
    if (r.kind !== 'selected') {
      picks.push(`${r.kind}:${r.reason}`)
      continue
    }
    picks.push(r.account.id)
    last = r.account
  }
  return picks
}

const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v)

describe('every strategy', () => {
  describe.each(ROUTING_STRATEGIES)('%s', (strategy) => {
    it('answers exhausted:limited when every account is limited', () => {
      expect(pick(strategy, [limited('a'), limited('b')])).toBe('exhausted:limited')
    })

    it('keeps a usable sticky pin, whatever it would pick otherwise', () => {
      const accounts = [acct('a'), acct('b', { secondaryUsedPercent: 90 }), acct('c')]
      expect(pick(strategy, accounts, { pinnedAccountId: 'b', random: () => 0 })).toBe('b')
    })

    it('moves a sticky pin off a limited account to a usable one', () => {
      expect(pick(strategy, [limited('a'), acct('b')], { pinnedAccountId: 'a' })).toBe('b')
    })

    it('never picks a paused, limited, cooling or already tried account', () => {
      const accounts = [
        acct('a', { status: 'paused' }),
        limited('b'),
        acct('c', { cooldownUntil: NOW + 1000 }),
        acct('d'),
        acct('e'),
      ]
      for (const r of [0, 0.5, 0.999]) {
        expect(pick(strategy, accounts, { exclude: new Set(['d']), random: () => r })).toBe('e')
      }
    })

    it('picks an account added to the pool and forgets one removed from it', () => {
      expect(pick(strategy, [limited('a'), acct('n')], { random: () => 0.5 })).toBe('n')
      expect(pick(strategy, [acct('n')], { random: () => 0.5 })).toBe('n')
    })
  })
})

describe('most_remaining', () => {
  it.each<[string, AccountState[], Partial<SelectionOptions>, string]>([
    [
      'the most weekly quota left wins',
      [acct('a', { secondaryUsedPercent: 50 }), acct('b', { secondaryUsedPercent: 20 })],
      {},
      'b',
    ],
    [
      'a tie goes to the least recently used',
      [acct('a', { lastSelectedAt: NOW - 10 }), acct('b', { lastSelectedAt: NOW - 1000 })],
      {},
      'b',
    ],
    ['a full tie goes to the smaller id', [acct('b'), acct('a')], {}, 'a'],
    [
      'prefer earlier reset ranks the reset day first',
      [
        acct('a', { secondaryUsedPercent: 10, secondaryResetAt: NOW + 5 * DAY }),
        acct('b', { secondaryUsedPercent: 60, secondaryResetAt: NOW + DAY }),
      ],
      { preferEarlierReset: true },
      'b',
    ],
    [
      'prefer earlier reset: the same day falls back to remaining quota',
      [
        acct('a', { secondaryUsedPercent: 60, secondaryResetAt: NOW + 2 * HOUR }),
        acct('b', { secondaryUsedPercent: 10, secondaryResetAt: NOW + 20 * HOUR }),
      ],
      { preferEarlierReset: true },
      'b',
    ],
  ])('%s', (_name, accounts, opts, expected) => {
    expect(pick('most_remaining', accounts, opts)).toBe(expected)
  })
})

describe('capacity_weighted', () => {
  /** How often each account is picked over n evenly spread draws. */
  function spread(accounts: AccountState[], n = 1000): Record<string, number> {
    const counts: Record<string, number> = {}
    for (let i = 0; i < n; i++) {
      const id = pick('capacity_weighted', accounts, { random: () => (i + 0.5) / n })
      counts[id] = (counts[id] ?? 0) + 1
    }
    return counts
  }

  it('spreads picks in proportion to remaining quota × plan capacity', () => {
    expect(
      spread([
        acct('plus-full', { planType: 'plus' }),
        acct('pro-half', { planType: 'pro', secondaryUsedPercent: 50 }),
        acct('plus-quarter', { planType: 'plus', secondaryUsedPercent: 75 }),
        acct('plus-3/4', { planType: 'plus', primaryUsedPercent: 25 }),
      ]),
    ).toEqual({ 'plus-full': 200, 'pro-half': 600, 'plus-quarter': 50, 'plus-3/4': 150 })
  })

  it('equal accounts share equally, and a limited one gets nothing', () => {
    expect(spread([acct('a'), acct('b'), limited('c'), acct('d')], 900)).toEqual({
      a: 300,
      b: 300,
      d: 300,
    })
  })

  it.each<[string, Partial<AccountState>, number]>([
    ['no sample: whole', {}, 100],
    ['the tighter window counts', { primaryUsedPercent: 90, secondaryUsedPercent: 20 }, 10],
    [
      'a window whose reset has passed is whole again',
      { primaryUsedPercent: 90, primaryResetAt: NOW - 1, secondaryUsedPercent: 40 },
      60,
    ],
    ['pro counts six times', { planType: 'pro', secondaryUsedPercent: 50 }, 300],
    ['an unknown plan counts once', { planType: 'unknown' }, 100],
    ['almost used up still keeps a sliver', { secondaryUsedPercent: 99.9 }, 1],
  ])('weight: %s', (_name, over, weight) => {
    expect(capacityWeight(acct('a', over), NOW)).toBeCloseTo(weight)
  })
})

describe('round_robin', () => {
  const pool = [acct('a'), acct('b'), acct('c')]

  it('rotates through usable accounts in creation order, wrapping around', () => {
    expect(rotate('round_robin', times(7, pool))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a'])
  })

  it('follows the user order first, then the unordered ones oldest first', () => {
    const ordered = [
      acct('a'),
      acct('b', { routeOrder: 2 }),
      acct('c', { routeOrder: 1 }),
      acct('d'),
    ]
    expect(rotate('round_robin', times(5, ordered))).toEqual(['c', 'b', 'a', 'd', 'c'])
  })

  it('skips a limited account and takes it back when it recovers', () => {
    const withLimited = [acct('a'), limited('b'), acct('c')]
    expect(rotate('round_robin', [pool, withLimited, pool, pool])).toEqual(['a', 'c', 'a', 'b'])
  })

  it('continues in place when accounts are added or removed', () => {
    const added = [...pool, acct('d')]
    const removed = [acct('a'), acct('c'), acct('d')]
    // b removed right after it served: the next is still c; d joins the rotation at its place.
    expect(rotate('round_robin', [pool, pool, removed, added, added, removed])).toEqual([
      'a',
      'b',
      'c',
      'd',
      'a',
      'c',
    ])
  })

  it('ties between accounts created together break by id', () => {
    const twins = [acct('b', { createdAt: 1 }), acct('a', { createdAt: 1 })]
    expect(rotate('round_robin', times(3, twins))).toEqual(['a', 'b', 'a'])
  })

  it('a retry of the same request goes on to the next account', () => {
    expect(pick('round_robin', pool, { after: pool[0], exclude: new Set(['b']) })).toBe('c')
  })
})

describe('fill_first', () => {
  it.each<[string, AccountState[], string]>([
    [
      'the first in the user order takes everything, however much the others have left',
      [
        acct('a', { routeOrder: 2 }),
        acct('b', { routeOrder: 1, secondaryUsedPercent: 97 }),
        acct('c'),
      ],
      'b',
    ],
    [
      'the next one takes over when the first is limited',
      [acct('a', { routeOrder: 2 }), limited('b', { routeOrder: 1 }), acct('c')],
      'a',
    ],
    [
      'unordered accounts come after the ordered ones, oldest first',
      [acct('a', { createdAt: 30 }), limited('b', { routeOrder: 1 }), acct('c', { createdAt: 20 })],
      'c',
    ],
    ['with no order at all the oldest account fills first', [acct('b'), acct('a')], 'a'],
    [
      'equal positions break by age, then id',
      [acct('b', { routeOrder: 1, createdAt: 5 }), acct('a', { routeOrder: 1, createdAt: 5 })],
      'a',
    ],
  ])('%s', (_name, accounts, expected) => {
    expect(pick('fill_first', accounts)).toBe(expected)
  })

  it('stays on the first account request after request', () => {
    const accounts = [acct('a'), acct('b', { routeOrder: 1 }), acct('c')]
    expect(rotate('fill_first', times(4, accounts))).toEqual(['b', 'b', 'b', 'b'])
  })
})

describe('reset_drain', () => {
  it.each<[string, AccountState[], string]>([
    [
      'the soonest weekly reset goes first, even with less left',
      [
        acct('a', { secondaryUsedPercent: 10, secondaryResetAt: NOW + 5 * DAY }),
        acct('b', { secondaryUsedPercent: 70, secondaryResetAt: NOW + 2 * HOUR }),
      ],
      'b',
    ],
    [
      'without a weekly window the 5-hour reset counts',
      [
        acct('a', { secondaryResetAt: NOW + DAY }),
        acct('b', { primaryUsedPercent: 30, primaryResetAt: NOW + HOUR }),
      ],
      'b',
    ],
    [
      'an unknown or past reset goes last',
      [
        acct('a', { secondaryResetAt: NOW - 1 }),
        acct('b'),
        acct('c', { secondaryUsedPercent: 90, secondaryResetAt: NOW + 6 * DAY }),
      ],
      'c',
    ],
    [
      'equal resets fall back to the most remaining',
      [
        acct('a', { secondaryUsedPercent: 50, secondaryResetAt: NOW + DAY }),
        acct('b', { secondaryUsedPercent: 20, secondaryResetAt: NOW + DAY }),
      ],
      'b',
    ],
    [
      'a limited account is skipped however soon it resets',
      [
        limited('a', { secondaryResetAt: NOW + HOUR }),
        acct('b', { secondaryResetAt: NOW + 3 * DAY }),
      ],
      'b',
    ],
  ])('%s', (_name, accounts, expected) => {
    expect(pick('reset_drain', accounts)).toBe(expected)
  })
})
