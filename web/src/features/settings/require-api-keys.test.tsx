import type { DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings, makeApiKey } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

// Seed 004 §12.3: the "Require API keys" switch, and the warning shown before it is turned on.
function serveSettings(initial: Partial<DashboardSettings>, fail = false) {
  let settings: DashboardSettings = { ...defaultSettings, ...initial }
  const puts: Array<{ method: string; path: string; body: unknown }> = []
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      const body = (await request.json()) as Partial<DashboardSettings>
      puts.push({ method: request.method, path: new URL(request.url).pathname, body })
      if (fail) return dashboardError(503, 'settings_unavailable', 'Database is read-only')
      settings = { ...settings, ...body }
      return HttpResponse.json(settings)
    }),
  )
  return puts
}

const off = { apiKeyAuthEnabled: false, stickyThreadsEnabled: true }
const turnOn = {
  stickyThreadsEnabled: true,
  preferEarlierResetAccounts: false,
  apiKeyAuthEnabled: true,
}

async function openWarning(user: ReturnType<typeof renderApp>['user']) {
  const toggle = await screen.findByRole('switch', { name: 'Require API keys' })
  expect(toggle.getAttribute('aria-checked')).toBe('false')
  await user.click(toggle)
  return { toggle, dialog: await screen.findByRole('dialog', { name: 'Require API keys?' }) }
}

describe('Require API keys switch (seed 004 §12.3)', () => {
  it('warns before turning on; Cancel sends nothing and leaves it off', async () => {
    const puts = serveSettings(off)
    const { user } = renderApp('/settings')
    const { toggle, dialog } = await openWarning(user)

    expect(dialog.textContent).toContain('without an active key are refused')
    expect(
      await within(dialog).findByText(/no active API keys yet: all proxy traffic will be refused/),
    ).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(toggle.getAttribute('aria-checked')).toBe('false')
    expect(puts).toEqual([])
  })

  it('confirming sends the setting once and the switch shows it on', async () => {
    const puts = serveSettings(off)
    const { user } = renderApp('/settings')
    const { toggle, dialog } = await openWarning(user)
    expect(puts).toEqual([])

    await user.click(within(dialog).getByRole('button', { name: 'Require API keys' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(puts).toEqual([{ method: 'PUT', path: '/api/settings', body: turnOn }])
    expect(toggle.getAttribute('aria-checked')).toBe('true')
    expect(await screen.findByText('Settings saved')).toBeTruthy()
  })

  it('counts the active keys clients can switch to', async () => {
    serveSettings(off)
    server.use(
      http.get('*/api/api-keys/', () =>
        HttpResponse.json([
          makeApiKey({ id: 'k1', name: 'laptop' }),
          makeApiKey({ id: 'k2', name: 'ci' }),
          makeApiKey({ id: 'k3', name: 'old', isActive: false }),
        ]),
      ),
    )
    const { user } = renderApp('/settings')
    const { dialog } = await openWarning(user)
    expect(await within(dialog).findByText(/2 active keys can be used\./)).toBeTruthy()
    expect(within(dialog).queryByText(/all proxy traffic will be refused/)).toBeNull()
  })

  it('a refused save keeps the dialog open with the reason and the switch off', async () => {
    const puts = serveSettings(off, true)
    const { user } = renderApp('/settings')
    const { toggle, dialog } = await openWarning(user)
    await user.click(within(dialog).getByRole('button', { name: 'Require API keys' }))

    expect(await within(dialog).findByText('Database is read-only')).toBeTruthy()
    expect(screen.getByRole('dialog', { name: 'Require API keys?' })).toBeTruthy()
    expect(puts).toHaveLength(1)
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'))
  })

  it('turning it off needs no warning', async () => {
    const puts = serveSettings({ apiKeyAuthEnabled: true })
    const { user } = renderApp('/settings')
    const toggle = await screen.findByRole('switch', { name: 'Require API keys' })
    await user.click(toggle)

    await waitFor(() =>
      expect(puts).toEqual([
        { method: 'PUT', path: '/api/settings', body: { ...turnOn, apiKeyAuthEnabled: false } },
      ]),
    )
    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'))
  })

  it('the API keys page notice asks the same question before turning keys on', async () => {
    const puts = serveSettings(off)
    const { user } = renderApp('/api-keys')
    await screen.findByText('API keys are not required right now')
    await user.click(screen.getByRole('button', { name: 'Require API keys' }))

    const dialog = await screen.findByRole('dialog', { name: 'Require API keys?' })
    expect(puts).toEqual([])
    await user.click(within(dialog).getByRole('button', { name: 'Require API keys' }))

    await waitFor(() =>
      expect(screen.queryByText('API keys are not required right now')).toBeNull(),
    )
    expect(puts).toEqual([{ method: 'PUT', path: '/api/settings', body: turnOn }])
  })
})
