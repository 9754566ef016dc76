import { describe, expect, it } from 'vitest'
import { explainExclusions, type AccountGate } from './exclusions.js'
import { selectAccount } from './select-account.js'
import { accountState } from '../../../test/support/account-state.js'

const NOW = Date.UTC(2026, 11, 5, 13, 0)
const at = (h: number, m: number) => Date.UTC(2026, 11, 5, h, m)

const acct = accountState

describe('exhaustion that explains itself', () => {
  it('says, per reason, how many accounts are out and until when', () => {
    const text = explainExclusions(
      [
        { reason: 'limited', until: at(14, 5) },
        { reason: 'limited', until: at(15, 0) },
        { reason: 'paused' },
        { reason: 'headroom', until: at(16, 30) },
        { reason: 'at_capacity' },
      ],
      NOW,
    )
    expect(text).toBe(
      '2 accounts are rate limited until 14:05 UTC, 1 account is above its usage ceiling until 16:30 UTC, 1 account is at its concurrency cap, 1 account is paused',
    )
  })

  it('lets gates exclude accounts and names their reason when nothing is left', () => {
    const busy: AccountGate = (a) => (a.id === 'b' ? { reason: 'at_capacity' } : null)
    const ceiling: AccountGate = (a) =>
      a.id === 'a' ? { reason: 'headroom', until: at(14, 5) } : null
    const accounts = [acct('a'), acct('b'), acct('c', { status: 'paused' })]
    expect(
      selectAccount(accounts, NOW, { preferEarlierReset: false, gates: [busy] }),
    ).toMatchObject({
      kind: 'selected',
      account: { id: 'a' },
    })
    const none = selectAccount(accounts, NOW, { preferEarlierReset: false, gates: [busy, ceiling] })
    expect(none).toMatchObject({ kind: 'exhausted', reason: 'at_capacity' })
    expect(none.kind === 'exhausted' && none.message).toContain(
      '1 account is above its usage ceiling until 14:05 UTC, 1 account is at its concurrency cap, 1 account is paused',
    )
  })

  it('is a usage limit with the earliest reset when every live account waits for a reset', () => {
    const ceiling: AccountGate = (a) =>
      a.id === 'a' ? { reason: 'headroom', until: at(14, 5) } : null
    const accounts = [
      acct('a'),
      acct('b', { status: 'rate_limited', resetAt: at(15, 0), planType: 'pro' }),
    ]
    const r = selectAccount(accounts, NOW, { preferEarlierReset: false, gates: [ceiling] })
    expect(r).toMatchObject({ kind: 'exhausted', reason: 'limited', retryAt: at(14, 5) })
  })

  it('is no_accounts, with the reasons, when no account may take this request at all', () => {
    const notMine: AccountGate = () => ({ reason: 'not_allowed' })
    const r = selectAccount([acct('a'), acct('b', { status: 'deactivated' })], NOW, {
      preferEarlierReset: false,
      gates: [notMine],
    })
    expect(r).toMatchObject({ kind: 'exhausted', reason: 'no_accounts' })
    expect(r.kind === 'exhausted' && r.message).toContain(
      '1 account is not allowed for this API key, 1 account needs to sign in again',
    )
  })
})
