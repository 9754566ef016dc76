import { describe, expect, it } from 'vitest'
import { evaluateAccess, sessionState, type AuthSettings } from './session-policy.js'

const settings = (passwordConfigured: boolean, totpRequiredOnLogin: boolean): AuthSettings => ({
  passwordConfigured,
  totpRequiredOnLogin,
  totpConfigured: totpRequiredOnLogin,
  sessionEpoch: 2,
})
const session = (pw: boolean, tv: boolean, ep = 2) => ({ pw, tv, ep })

describe('evaluateAccess: the guard rule (seed 003)', () => {
  it.each([
    ['open mode, no session', settings(false, false), null, 'ok'],
    ['password, no session', settings(true, false), null, 'authentication_required'],
    ['password, pw session', settings(true, false), session(true, false), 'ok'],
    [
      'password, tv-only session',
      settings(true, false),
      session(false, true),
      'authentication_required',
    ],
    [
      'password, session of an older epoch',
      settings(true, false),
      session(true, true, 1),
      'authentication_required',
    ],
    ['password+TOTP, pw only', settings(true, true), session(true, false), 'totp_required'],
    ['password+TOTP, pw+tv', settings(true, true), session(true, true), 'ok'],
    [
      'TOTP-only (inconsistent), no session',
      settings(false, true),
      null,
      'authentication_required',
    ],
    ['TOTP-only, pw=false tv=true', settings(false, true), session(false, true), 'ok'],
    ['TOTP-only, pw=true tv=false', settings(false, true), session(true, false), 'totp_required'],
  ] as const)('%s → %s', (_, s, claims, expected) => {
    const verdict = evaluateAccess(s, claims)
    expect(verdict.ok ? 'ok' : verdict.code).toBe(expected)
    // The session endpoint reports exactly the guard's verdict.
    expect(sessionState(s, claims).authenticated).toBe(verdict.ok)
  })
})

describe('sessionState', () => {
  it('reveals TOTP enforcement only after the password step', () => {
    expect(sessionState(settings(true, true), null)).toEqual({
      authenticated: false,
      passwordRequired: true,
      totpRequiredOnLogin: false,
      totpConfigured: true,
    })
    expect(sessionState(settings(true, true), session(true, false)).totpRequiredOnLogin).toBe(true)
    expect(sessionState(settings(false, true), null).totpRequiredOnLogin).toBe(true)
  })
})
