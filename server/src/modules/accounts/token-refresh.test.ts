import { describe, expect, it } from 'vitest'
import {
  REFRESH_BACKOFF,
  extractRefreshError,
  needsRefresh,
  permanentReason,
  refreshBackoffMs,
} from './token-refresh.js'

const DAY = 86_400_000
const policy = { marginMs: 300_000, maxAgeMs: 8 * DAY }
const now = 1_800_000_000_000

describe('needsRefresh', () => {
  it.each([
    ['fresh token, recent refresh', now + 3_600_000, now - 60_000, null],
    ['exp unknown, recent refresh', null, now - DAY, null],
    ['exp just outside the margin', now + 300_001, now, null],
    ['exp exactly at the margin', now + 300_000, now, 'expiring'],
    ['exp inside the margin', now + 60_000, now, 'expiring'],
    ['already expired', now - 1, now, 'expiring'],
    ['exp unknown, refreshed 8 days ago', null, now - 8 * DAY, 'stale'],
    ['valid exp but too old', now + DAY, now - 9 * DAY, 'stale'],
    ['both due: expiry wins', now - 1, now - 9 * DAY, 'expiring'],
  ] as const)('%s → %s', (_label, exp, last, expected) => {
    expect(needsRefresh({ accessTokenExpiresAt: exp, lastRefreshAt: last }, now, policy)).toBe(
      expected,
    )
  })
})

describe('extractRefreshError', () => {
  it.each([
    [
      { error: { code: 'refresh_token_expired', message: 'gone' } },
      'refresh_token_expired',
      'gone',
    ],
    [{ error: { error: 'Refresh_Token_Reused' } }, 'refresh_token_reused', undefined],
    [{ error: 'invalid_grant', error_description: 'bad' }, 'invalid_grant', 'bad'],
    [{ error_code: 'account_deleted', message: 'bye' }, 'account_deleted', 'bye'],
    [{ code: 'account_suspended' }, 'account_suspended', undefined],
    [{ error: { type: 'x', message: 'no code' }, code: 'top' }, 'top', 'no code'],
    ['plain text', undefined, undefined],
    [null, undefined, undefined],
  ])('%j', (body, code, message) => {
    expect(extractRefreshError(body)).toEqual({ code, message })
  })
})

describe('permanentReason', () => {
  it.each([
    ['refresh_token_expired', 'Refresh token expired - re-login required'],
    ['refresh_token_reused', 'Refresh token was reused - re-login required'],
    ['refresh_token_invalidated', 'Refresh token was revoked - re-login required'],
    ['account_suspended', 'Account has been suspended'],
    ['account_deleted', 'Account has been deleted'],
    ['invalid_grant', undefined],
    ['toString', undefined],
  ])('%s', (code, reason) => {
    expect(permanentReason(code)).toBe(reason)
  })
})

describe('refreshBackoffMs', () => {
  it('doubles from 5 s and caps at 5 min, jittered within [half, full]', () => {
    expect(refreshBackoffMs(1, () => 1)).toBe(5_000)
    expect(refreshBackoffMs(1, () => 0)).toBe(2_500)
    expect(refreshBackoffMs(2, () => 1)).toBe(10_000)
    expect(refreshBackoffMs(4, () => 1)).toBe(40_000)
    expect(refreshBackoffMs(7, () => 1)).toBe(REFRESH_BACKOFF.maxMs)
    expect(refreshBackoffMs(50, () => 1)).toBe(REFRESH_BACKOFF.maxMs)
    expect(refreshBackoffMs(50, () => 0)).toBe(REFRESH_BACKOFF.maxMs / 2)
  })
})
