import type { SessionState } from '@codex-lb/shared'
import { screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { dashboardError, server } from '@/test/server'
import { renderApp } from '@/test/render'

const loggedOut: SessionState = {
  authenticated: false,
  passwordRequired: true,
  totpRequiredOnLogin: false,
  totpConfigured: true,
}

describe('login flow', () => {
  it('asks for the password, then the TOTP code, then shows the dashboard', async () => {
    let session: SessionState = loggedOut
    const attempts: string[] = []
    const codes: string[] = []
    server.use(
      http.get('*/api/dashboard-auth/session', () => HttpResponse.json(session)),
      http.post('*/api/dashboard-auth/password/login', async ({ request }) => {
        const { password } = (await request.json()) as { password: string }
        attempts.push(password)
        if (password !== 'correct horse')
          return dashboardError(401, 'invalid_credentials', 'Invalid credentials')
        session = { ...loggedOut, totpRequiredOnLogin: true }
        return HttpResponse.json(session)
      }),
      http.post('*/api/dashboard-auth/totp/verify', async ({ request }) => {
        const { code } = (await request.json()) as { code: string }
        codes.push(code)
        session = { ...loggedOut, authenticated: true, totpRequiredOnLogin: true }
        return HttpResponse.json(session)
      }),
    )
    const { user } = renderApp('/')

    const password = await screen.findByLabelText('Password')
    await user.type(password, 'wrong')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Invalid credentials')).toBeTruthy()

    await user.clear(password)
    await user.type(password, 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    // Six digits submit on their own: no extra click for the common case.
    const code = await screen.findByLabelText('Authentication code')
    await user.type(code, '123456')
    await waitFor(() => expect(codes).toEqual(['123456']))

    expect(await screen.findByRole('link', { name: /Accounts/ })).toBeTruthy()
    expect(await screen.findByRole('button', { name: /Log out/ })).toBeTruthy()
    expect(attempts).toEqual(['wrong', 'correct horse'])
  })

  it('returns to the login screen when an API call answers 401', async () => {
    let session: SessionState = { ...loggedOut, authenticated: true }
    server.use(
      http.get('*/api/dashboard-auth/session', () => HttpResponse.json(session)),
      http.get('*/api/accounts', () => {
        // The cookie expired server-side between two requests.
        session = loggedOut
        return dashboardError(401, 'authentication_required', 'Authentication is required')
      }),
    )
    renderApp('/accounts')
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy()
  })

  it('shows the open-dashboard banner when no password is set', async () => {
    renderApp('/')
    expect(await screen.findByText(/open to anyone who can reach it/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Log out/ })).toBeNull()
  })
})
