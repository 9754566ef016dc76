import { describe, expect, it } from 'vitest'
import type { AccountState } from './account-state.js'
import { headroomGate } from './headroom.js'
import { selectAccount } from './select-account.js'
import { accountState } from '../../../test/support/account-state.js'

const NOW = 1_800_000_000_000
const HOUR = 3_600_000

const acct = accountState

const NONE = { primaryPercent: 100, secondaryPercent: 100 }
const WEEKLY_80 = { primaryPercent: 100, secondaryPercent: 80 }

describe('headroomGate', () => {
  const cases: Array<[string, typeof NONE, Partial<AccountState>, unknown]> = [
    ['no ceiling anywhere', NONE, { secondaryUsedPercent: 99, secondaryResetAt: NOW + HOUR }, null],
    ['no usage sample yet', WEEKLY_80, {}, null],
    ['under the ceiling', WEEKLY_80, { secondaryUsedPercent: 79.9 }, null],
    [
      'at the ceiling: out until the weekly reset',
      WEEKLY_80,
      { secondaryUsedPercent: 80, secondaryResetAt: NOW + HOUR },
      { reason: 'headroom', until: NOW + HOUR },
    ],
    [
      'above it with an unknown reset: out, no end known',
      WEEKLY_80,
      { secondaryUsedPercent: 85 },
      { reason: 'headroom', until: null },
    ],
    [
      'the window has reset since the sample: back in',
      WEEKLY_80,
      { secondaryUsedPercent: 85, secondaryResetAt: NOW - 1 },
      null,
    ],
    [
      'a per-account ceiling overrides the global one (raised)',
      WEEKLY_80,
      { secondaryUsedPercent: 85, secondaryResetAt: NOW + HOUR, headroomSecondaryPercent: 90 },
      null,
    ],
    [
      'a per-account ceiling overrides the global one (lowered)',
      NONE,
      { primaryUsedPercent: 50, primaryResetAt: NOW + HOUR, headroomPrimaryPercent: 50 },
      { reason: 'headroom', until: NOW + HOUR },
    ],
    [
      'a per-account 100 lifts a global ceiling',
      WEEKLY_80,
      { secondaryUsedPercent: 95, headroomSecondaryPercent: 100 },
      null,
    ],
    [
      'null per-account ceilings follow the global one',
      WEEKLY_80,
      { secondaryUsedPercent: 95, secondaryResetAt: NOW + HOUR, headroomSecondaryPercent: null },
      { reason: 'headroom', until: NOW + HOUR },
    ],
    [
      'ceiling 0 keeps the account out whenever a sample exists',
      { primaryPercent: 0, secondaryPercent: 100 },
      { primaryUsedPercent: 0, primaryResetAt: NOW + HOUR },
      { reason: 'headroom', until: NOW + HOUR },
    ],
    [
      'above both: out until the later reset',
      { primaryPercent: 90, secondaryPercent: 80 },
      {
        primaryUsedPercent: 95,
        primaryResetAt: NOW + HOUR,
        secondaryUsedPercent: 85,
        secondaryResetAt: NOW + 48 * HOUR,
      },
      { reason: 'headroom', until: NOW + 48 * HOUR },
    ],
    [
      'above the 5-hour one only',
      { primaryPercent: 90, secondaryPercent: 80 },
      { primaryUsedPercent: 95, primaryResetAt: NOW + HOUR, secondaryUsedPercent: 10 },
      { reason: 'headroom', until: NOW + HOUR },
    ],
  ]
  it.each(cases)('%s', (_name, defaults, over, expected) => {
    expect(headroomGate(defaults)(acct('a', over), NOW)).toEqual(expected)
  })
})

describe('selection with the headroom gate', () => {
  const gates = [headroomGate(WEEKLY_80)]
  const resetA = NOW + 3 * HOUR
  const resetB = NOW + 30 * HOUR

  it('skips an account above its ceiling even when it has the most 5-hour quota left', () => {
    const a = acct('a', { secondaryUsedPercent: 85, secondaryResetAt: resetA })
    const b = acct('b', { secondaryUsedPercent: 60, primaryUsedPercent: 70 })
    const r = selectAccount([a, b], NOW, { preferEarlierReset: false, gates })
    expect(r.kind === 'selected' && r.account.id).toBe('b')
  })

  it('moves a sticky conversation off an account that crossed its ceiling', () => {
    const a = acct('a', { secondaryUsedPercent: 81, secondaryResetAt: resetA })
    const b = acct('b', { secondaryUsedPercent: 90, headroomSecondaryPercent: 95 })
    const r = selectAccount([a, b], NOW, { preferEarlierReset: false, gates, pinnedAccountId: 'a' })
    expect(r.kind === 'selected' && [r.account.id, r.sticky]).toEqual(['b', false])
  })

  it('every account above its ceiling or limited: exhausted as limited, retry at the first reset', () => {
    const a = acct('a', { secondaryUsedPercent: 85, secondaryResetAt: resetB })
    const b = acct('b', { status: 'rate_limited', resetAt: resetA + HOUR })
    const c = acct('c', { secondaryUsedPercent: 80, secondaryResetAt: resetA })
    const r = selectAccount([a, b, c], NOW, { preferEarlierReset: false, gates })
    expect(r).toMatchObject({ kind: 'exhausted', reason: 'limited', retryAt: resetA })
    expect(r.kind === 'exhausted' && r.message).toMatch(
      /1 account is rate limited until .*, 2 accounts are above their usage ceiling until /,
    )
  })

  it('an account at 100 % counts as limited, not as above its ceiling', () => {
    const a = acct('a', { secondaryUsedPercent: 100, secondaryResetAt: resetA })
    const r = selectAccount([a], NOW, { preferEarlierReset: false, gates })
    expect(r.kind === 'exhausted' && r.exclusions).toEqual([{ reason: 'limited', until: resetA }])
  })
})
