import type { SessionState } from '@codex-lb/shared'
import { screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

// One test per state GET /api/dashboard-auth/session can report (server: sessionState()).
const OPEN: SessionState = {
  authenticated: true,
  passwordRequired: false,
  totpRequiredOnLogin: false,
  totpConfigured: false,
}
const LOGGED_OUT: SessionState = {
  authenticated: false,
  passwordRequired: true,
  // Hidden from a visitor who has not passed the password step, even when codes are required.
  totpRequiredOnLogin: false,
  totpConfigured: true,
}
const TOTP_PENDING: SessionState = {
  authenticated: false,
  passwordRequired: true,
  totpRequiredOnLogin: true,
  totpConfigured: true,
}
const SIGNED_IN: SessionState = { ...TOTP_PENDING, authenticated: true }
// Seed 003 fails closed: codes required but no password (an older or hand-edited database).
const TOTP_ONLY: SessionState = {
  authenticated: false,
  passwordRequired: false,
  totpRequiredOnLogin: true,
  totpConfigured: true,
}

const OPEN_BANNER = /open to anyone who can reach it/
let requested: string[] = []
const record = ({ request }: { request: Request }) => {
  requested.push(new URL(request.url).pathname)
}

function serveSession(state: SessionState) {
  server.use(http.get('*/api/dashboard-auth/session', () => HttpResponse.json(state)))
}

/** The app's pages are on screen: the main navigation and the first page's own requests. */
const appShown = () => screen.findByRole('navigation', { name: 'Main' })

/** A sign-in screen asks the server nothing but the session: no page of failing calls behind it. */
async function expectOnlySessionRequested() {
  // Give a wrongly rendered app the time to fire its page queries.
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(new Set(requested)).toEqual(new Set(['/api/dashboard-auth/session']))
  expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull()
  expect(screen.queryByText(OPEN_BANNER)).toBeNull()
}

describe('what each session state shows', () => {
  beforeEach(() => {
    requested = []
    server.events.on('request:start', record)
  })
  afterEach(() => {
    server.events.removeListener('request:start', record)
  })

  it('open (no password, no TOTP): the app, the open-dashboard banner, no Log out', async () => {
    serveSession(OPEN)
    renderApp('/')
    await appShown()
    expect(await screen.findByText(OPEN_BANNER)).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Log out/ })).toBeNull()
  })

  it('exposed on a public address: a loud alert naming each open door instead', async () => {
    serveSession({
      ...OPEN,
      exposure: [
        'EXPOSED: listening on 0.0.0.0, reachable from other machines, and the dashboard has no password',
      ],
    })
    renderApp('/')
    await appShown()
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/listening on 0\.0\.0\.0.*dashboard has no password/)
    expect(alert.textContent).not.toMatch(/EXPOSED:/)
    expect(screen.queryByText(OPEN_BANNER)).toBeNull()
  })

  it('password required, not signed in: the password screen only', async () => {
    serveSession(LOGGED_OUT)
    renderApp('/accounts')
    expect(await screen.findByLabelText('Password')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy()
    await expectOnlySessionRequested()
  })

  it('password done, TOTP pending: the code screen, with the way back to the password', async () => {
    serveSession(TOTP_PENDING)
    renderApp('/')
    expect(await screen.findByLabelText('Authentication code')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Use a different password' })).toBeTruthy()
    await expectOnlySessionRequested()
  })

  it('fully signed in: the app with Log out and no open-dashboard banner', async () => {
    serveSession(SIGNED_IN)
    renderApp('/')
    await appShown()
    expect(await screen.findByRole('button', { name: /Log out/ })).toBeTruthy()
    expect(screen.queryByText(OPEN_BANNER)).toBeNull()
  })

  it('TOTP-only (codes required, no password): the code screen, then the app without the open banner', async () => {
    let session = TOTP_ONLY
    const codes: string[] = []
    server.use(
      http.get('*/api/dashboard-auth/session', () => HttpResponse.json(session)),
      http.post('*/api/dashboard-auth/totp/verify', async ({ request }) => {
        codes.push(((await request.json()) as { code: string }).code)
        session = { ...TOTP_ONLY, authenticated: true }
        return HttpResponse.json(session)
      }),
    )
    const { user } = renderApp('/')
    const code = await screen.findByLabelText('Authentication code')
    expect(screen.getByText(/the code alone signs you in/)).toBeTruthy()
    // There is no password to go back to.
    expect(screen.queryByRole('button', { name: 'Use a different password' })).toBeNull()
    await expectOnlySessionRequested()

    await user.type(code, '123456')
    await waitFor(() => expect(codes).toEqual(['123456']))
    await appShown()
    expect(await screen.findByRole('button', { name: /Log out/ })).toBeTruthy()
    expect(screen.queryByText(OPEN_BANNER)).toBeNull()
  })
})
