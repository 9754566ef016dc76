import type { DashboardSettings, SessionState } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

const SIGNED_IN: SessionState = {
  authenticated: true,
  passwordRequired: true,
  totpRequiredOnLogin: false,
  totpConfigured: true,
}

/** The two-factor card on the settings page. */
async function totpCard() {
  const title = await screen.findByText('Two-factor authentication')
  const card = title.closest('[data-slot="card"]')
  if (!(card instanceof HTMLElement)) throw new Error('two-factor card not found')
  return within(card)
}

describe('turning two-factor off', () => {
  it('asks for a current code, sends it, and the card then says Off', async () => {
    let session = SIGNED_IN
    let settings: DashboardSettings = { ...defaultSettings, totpConfigured: true }
    const sent: unknown[] = []
    server.use(
      http.get('*/api/dashboard-auth/session', () => HttpResponse.json(session)),
      http.get('*/api/settings', () => HttpResponse.json(settings)),
      http.post('*/api/dashboard-auth/totp/disable', async ({ request }) => {
        const body = (await request.json()) as { code: string }
        sent.push(body)
        if (body.code !== '654321') {
          return dashboardError(401, 'invalid_totp_code', 'Invalid TOTP code')
        }
        session = { ...session, totpConfigured: false }
        settings = { ...settings, totpConfigured: false }
        return HttpResponse.json({ status: 'ok' })
      }),
    )
    const { user } = renderApp('/settings')
    const card = await totpCard()
    expect(await card.findByText('On')).toBeTruthy()
    await user.click(card.getByRole('button', { name: 'Turn off' }))

    const dialog = within(await screen.findByRole('dialog'))
    const confirm = dialog.getByRole('button', { name: 'Turn off' })
    expect((confirm as HTMLButtonElement).disabled).toBe(true)
    await user.type(dialog.getByLabelText('Code from the app'), '123456')
    await user.click(confirm)
    // A wrong code keeps the dialog open, says why and empties the field for the next try.
    expect(await dialog.findByText('Invalid TOTP code')).toBeTruthy()
    expect((dialog.getByLabelText('Code from the app') as HTMLInputElement).value).toBe('')

    await user.type(dialog.getByLabelText('Code from the app'), '654321')
    await user.click(dialog.getByRole('button', { name: 'Turn off' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([{ code: '123456' }, { code: '654321' }])
    expect(await card.findByText('Off')).toBeTruthy()
    expect(card.getByRole('button', { name: 'Set up authenticator' })).toBeTruthy()
    expect(await screen.findByText('Two-factor authentication is off')).toBeTruthy()
  })

  it('TOTP-only (no password): Turn off waits for a password, which the server would ask for', async () => {
    server.use(
      http.get('*/api/dashboard-auth/session', () =>
        HttpResponse.json({
          authenticated: true,
          passwordRequired: false,
          totpRequiredOnLogin: true,
          totpConfigured: true,
        } satisfies SessionState),
      ),
      http.get('*/api/settings', () =>
        HttpResponse.json({ ...defaultSettings, totpConfigured: true, totpRequiredOnLogin: true }),
      ),
    )
    renderApp('/settings')
    const card = await totpCard()
    expect(card.getByText(/Set a password to turn this off/)).toBeTruthy()
    const turnOff = card.getByRole('button', { name: 'Turn off' }) as HTMLButtonElement
    expect(turnOff.disabled).toBe(true)
  })
})
