import { describe, expect, it } from 'vitest'
import type { AccountState } from './account-state.js'
import { effectiveStatus } from './account-state.js'
import { selectAccount } from './select-account.js'
import { accountState } from '../../../test/support/account-state.js'

const NOW = 1_800_000_000_000

const acct = accountState

function pick(accounts: AccountState[], opts: Partial<Parameters<typeof selectAccount>[2]> = {}) {
  const r = selectAccount(accounts, NOW, { preferEarlierReset: false, ...opts })
  return r.kind === 'selected' ? r.account.id : `${r.kind}:${r.reason}`
}

describe('selectAccount', () => {
  const cases: Array<
    [string, AccountState[], Partial<Parameters<typeof selectAccount>[2]>, string]
  > = [
    ['no accounts', [], {}, 'exhausted:no_accounts'],
    ['all paused', [acct('a', { status: 'paused' })], {}, 'exhausted:no_accounts'],
    [
      'paused and deactivated',
      [acct('a', { status: 'paused' }), acct('b', { status: 'deactivated' })],
      {},
      'exhausted:no_accounts',
    ],
    ['skips paused', [acct('a', { status: 'paused' }), acct('b')], {}, 'b'],
    [
      'most remaining secondary wins',
      [acct('a', { secondaryUsedPercent: 50 }), acct('b', { secondaryUsedPercent: 20 })],
      {},
      'b',
    ],
    [
      'secondary falls back to primary',
      [acct('a', { primaryUsedPercent: 70 }), acct('b', { secondaryUsedPercent: 60 })],
      {},
      'b',
    ],
    [
      'primary breaks a secondary tie',
      [
        acct('a', { secondaryUsedPercent: 10, primaryUsedPercent: 40 }),
        acct('b', { secondaryUsedPercent: 10, primaryUsedPercent: 5 }),
      ],
      {},
      'b',
    ],
    [
      'ties go to the least recently used, not the smallest id',
      [acct('a', { lastSelectedAt: NOW - 10 }), acct('b', { lastSelectedAt: NOW - 1000 })],
      {},
      'b',
    ],
    [
      'rate limited until a future reset is skipped',
      [
        acct('a', { status: 'rate_limited', resetAt: NOW + 60_000 }),
        acct('b', { secondaryUsedPercent: 90 }),
      ],
      {},
      'b',
    ],
    [
      'rate limit with a past reset lifts',
      [acct('a', { status: 'rate_limited', resetAt: NOW - 1 })],
      {},
      'a',
    ],
    [
      'primary at 100% is limited until its reset',
      [
        acct('a', { primaryUsedPercent: 100, primaryResetAt: NOW + 1000 }),
        acct('b', { primaryUsedPercent: 99 }),
      ],
      {},
      'b',
    ],
    [
      'cooldown is skipped',
      [acct('a', { cooldownUntil: NOW + 5000 }), acct('b', { secondaryUsedPercent: 99 })],
      {},
      'b',
    ],
    [
      'excluded accounts are not tried again',
      [acct('a'), acct('b', { secondaryUsedPercent: 80 })],
      { exclude: new Set(['a']) },
      'b',
    ],
    [
      'sticky pin holds regardless of usage',
      [acct('a', { secondaryUsedPercent: 95 }), acct('b', { secondaryUsedPercent: 5 })],
      { pinnedAccountId: 'a' },
      'a',
    ],
    [
      'sticky pin moves when the account is unusable',
      [acct('a', { status: 'rate_limited', resetAt: NOW + 1000 }), acct('b')],
      { pinnedAccountId: 'a' },
      'b',
    ],
    [
      'all limited',
      [
        acct('a', { status: 'rate_limited', resetAt: NOW + 1000 }),
        acct('b', { secondaryUsedPercent: 100, secondaryResetAt: NOW + 5000 }),
      ],
      {},
      'exhausted:limited',
    ],
    ['all cooling down', [acct('a', { cooldownUntil: NOW + 1000 })], {}, 'exhausted:cooling_down'],
    [
      'prefer earlier reset puts the soonest weekly reset first',
      [
        acct('a', { secondaryUsedPercent: 10, secondaryResetAt: NOW + 5 * 86_400_000 }),
        acct('b', { secondaryUsedPercent: 60, secondaryResetAt: NOW + 1 * 86_400_000 }),
      ],
      { preferEarlierReset: true },
      'b',
    ],
  ]
  it.each(cases)('%s', (_name, accounts, opts, expected) => {
    expect(pick(accounts, opts)).toBe(expected)
  })

  it("reports the earliest reset, and that account's plan, when every account is limited", () => {
    const r = selectAccount(
      [
        acct('a', { status: 'rate_limited', resetAt: NOW + 9000, planType: 'plus' }),
        acct('b', { status: 'quota_exceeded', resetAt: NOW + 3000, planType: 'pro' }),
        acct('c', { primaryUsedPercent: 100, planType: 'team' }),
      ],
      NOW,
      { preferEarlierReset: false },
    )
    expect(r).toMatchObject({
      kind: 'exhausted',
      reason: 'limited',
      retryAt: NOW + 3000,
      planType: 'pro',
    })
  })

  it('a used-up weekly window beats the 5-hour one', () => {
    expect(
      effectiveStatus(
        acct('a', {
          primaryUsedPercent: 100,
          secondaryUsedPercent: 100,
          secondaryResetAt: NOW + 1,
        }),
        NOW,
      ).status,
    ).toBe('quota_exceeded')
  })
})
