import { describe, expect, it } from 'vitest'
import { describeFailure } from '../../upstream/failure.js'
import type { AccountState } from './account-state.js'
import { markFailure, markSuccess, transientCooldownMs } from './failure-marks.js'
import { accountState } from '../../../test/support/account-state.js'

const NOW = 1_800_000_000_000
const mid = () => 0.5

const account = (over: Partial<AccountState> = {}) =>
  accountState('a', { routeOrder: null, createdAt: 0, ...over })

const fail = (status: number, error: Record<string, unknown>, headers = {}) =>
  describeFailure(status, { error }, headers, NOW)

describe('markFailure', () => {
  it('limits a used-up account until the reset the upstream named', () => {
    const f = fail(429, { type: 'usage_limit_reached', resets_at: NOW / 1000 + 900 })
    expect(markFailure(account(), f, NOW, mid)).toMatchObject({
      status: 'rate_limited',
      resetAt: NOW + 900_000,
    })
    const inSeconds = fail(429, { type: 'usage_limit_reached', resets_in_seconds: 60 })
    expect(markFailure(account(), inSeconds, NOW, mid).resetAt).toBe(NOW + 60_000)
  })

  it('cools a throttled account down for the Retry-After it was given', () => {
    const f = fail(429, { code: 'rate_limit_exceeded' }, { 'retry-after': '30' })
    expect(markFailure(account(), f, NOW, mid)).toMatchObject({ cooldownUntil: NOW + 30_000 })
    expect(markFailure(account(), f, NOW, mid).status).toBeUndefined()
  })

  it('marks quota errors and deactivates on permanent auth errors with a reason', () => {
    expect(markFailure(account(), fail(402, { code: 'insufficient_quota' }), NOW, mid).status).toBe(
      'quota_exceeded',
    )
    expect(markFailure(account(), fail(401, { code: 'refresh_token_reused' }), NOW, mid)).toEqual({
      status: 'deactivated',
      deactivationReason: 'Refresh token was reused - re-login required',
    })
  })

  it('backs off transient errors longer with each one in a row, capped at a minute', () => {
    const f = fail(500, { message: 'boom' })
    expect(markFailure(account(), f, NOW, mid).cooldownUntil).toBe(NOW + 1000)
    expect(markFailure(account({ errorCount: 3 }), f, NOW, mid).cooldownUntil).toBe(NOW + 8000)
    expect(transientCooldownMs(20, mid)).toBe(60_000)
  })

  it('leaves the account alone when the request was at fault, and clears a streak on success', () => {
    expect(markFailure(account(), fail(400, { code: 'invalid_prompt' }), NOW, mid)).toEqual({})
    expect(markSuccess(account())).toBeNull()
    expect(markSuccess(account({ errorCount: 2, cooldownUntil: NOW }))).toEqual({
      errorCount: 0,
      cooldownUntil: null,
      lastErrorAt: null,
    })
  })
})
