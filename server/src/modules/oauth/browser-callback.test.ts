import { describe, expect, it } from 'vitest'
import { checkCallback, parseCallbackUrl } from './browser-callback.js'
import { Flow, FlowRegistry } from './flows.js'

const NOW = 1_000_000

function registry() {
  const flows = new FlowRegistry()
  const flow = new Flow(
    'browser',
    NOW,
    NOW + 60_000,
    { state: 'good', codeVerifier: 'v', redirectUri: 'r' },
    undefined,
  )
  flows.add(flow)
  return { flows, flow }
}

const q = (query: Record<string, string>) => new URLSearchParams(query)

describe('checkCallback', () => {
  it('accepts the state of a pending flow with a code', () => {
    const { flows, flow } = registry()
    expect(checkCallback(q({ code: 'c', state: 'good' }), flows, NOW)).toEqual({
      ok: true,
      flow,
      code: 'c',
    })
  })

  it.each([
    ['unknown state', { code: 'c', state: 'bad' }, 'invalid_oauth_state', false],
    ['no state', { code: 'c' }, 'invalid_oauth_state', false],
    ['no code', { state: 'good' }, 'missing_authorization_code', true],
    ['error=', { error: 'access_denied', state: 'good' }, 'access_denied', true],
    ['odd error=', { error: '<x>', state: 'good' }, 'oauth_authorization_failed', true],
  ])('refuses %s', (_name, query, code, endsFlow) => {
    const { flows, flow } = registry()
    const check = checkCallback(q(query), flows, NOW)
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.error.code).toBe(code)
    expect(check.flow).toBe(endsFlow ? flow : undefined)
  })

  it('refuses a finished, busy or expired flow', () => {
    const { flows, flow } = registry()
    flow.busy = true
    const busy = checkCallback(q({ code: 'c', state: 'good' }), flows, NOW)
    expect(!busy.ok && [busy.error.code, busy.flow]).toEqual(['oauth_state_used', undefined])
    flow.busy = false
    const late = checkCallback(q({ code: 'c', state: 'good' }), flows, NOW + 60_000)
    expect(!late.ok && [late.error.code, late.flow]).toEqual(['oauth_flow_expired', flow])
    flow.succeed({ id: 'a', email: null })
    const used = checkCallback(q({ code: 'c', state: 'good' }), flows, NOW)
    expect(!used.ok && used.error.code).toBe('oauth_state_used')
  })

  it('says expired, not used, when the expiry timer already ended the flow', () => {
    const { flows, flow } = registry()
    flow.fail('The sign-in timed out. Start a new sign-in.')
    const late = checkCallback(q({ code: 'c', state: 'good' }), flows, NOW + 60_000)
    expect(!late.ok && [late.error.code, late.error.message, late.flow]).toEqual([
      'oauth_flow_expired',
      'This sign-in has expired. Start a new sign-in.',
      undefined,
    ])
    // Ended by an error= callback before expiry: the state is spent.
    const spent = checkCallback(q({ code: 'c', state: 'good' }), flows, NOW)
    expect(!spent.ok && spent.error.code).toBe('oauth_state_used')
  })
})

describe('parseCallbackUrl', () => {
  it('reads a whole URL or just its query', () => {
    expect(
      parseCallbackUrl(' http://localhost:1455/auth/callback?code=c&state=s ').get('code'),
    ).toBe('c')
    expect(parseCallbackUrl('?code=c&state=s').get('state')).toBe('s')
  })

  it.each(['not a url', 'http://localhost:1455/auth/callback'])('refuses %j', (text) => {
    expect(() => parseCallbackUrl(text)).toThrow(
      expect.objectContaining({ code: 'invalid_callback_url' }),
    )
  })
})
