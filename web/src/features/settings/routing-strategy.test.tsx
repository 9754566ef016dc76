import type { DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

function serveSettings(initial: Partial<DashboardSettings>, fail = false) {
  let settings: DashboardSettings = { ...defaultSettings, ...initial }
  const puts: unknown[] = []
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      const body = (await request.json()) as Partial<DashboardSettings>
      puts.push(body)
      if (fail) return dashboardError(422, 'validation_error', 'routingStrategy: invalid option')
      settings = { ...settings, ...body }
      return HttpResponse.json(settings)
    }),
  )
  return puts
}

const radio = (name: string) => screen.findByRole('radio', { name })

describe('routing strategy selector', () => {
  it('lists every strategy with one sentence and checks the saved one', async () => {
    serveSettings({ routingStrategy: 'round_robin' })
    renderApp('/settings')
    expect(((await radio('Round robin')) as HTMLInputElement).checked).toBe(true)
    for (const name of ['Most remaining', 'Capacity weighted', 'Fill first', 'Reset drain']) {
      expect(((await radio(name)) as HTMLInputElement).checked).toBe(false)
    }
    const fill = await radio('Fill first')
    expect(fill.getAttribute('aria-describedby')).toBe('routing-strategy-fill_first-hint')
    expect(document.getElementById('routing-strategy-fill_first-hint')?.textContent).toMatch(
      /first account in your order takes everything until it is limited/,
    )
    expect(screen.getByText(/Pro counts six times Plus/)).toBeTruthy()
  })

  it('a server without strategies shows most remaining', async () => {
    serveSettings({})
    renderApp('/settings')
    expect(((await radio('Most remaining')) as HTMLInputElement).checked).toBe(true)
  })

  it('choosing one saves it with the routing flags and keeps it checked', async () => {
    const puts = serveSettings({ routingStrategy: 'most_remaining', apiKeyAuthEnabled: false })
    const { user } = renderApp('/settings')
    await user.click(await radio('Fill first'))
    await waitFor(() => expect(puts).toHaveLength(1))
    expect(puts[0]).toEqual({
      stickyThreadsEnabled: true,
      preferEarlierResetAccounts: false,
      apiKeyAuthEnabled: false,
      routingStrategy: 'fill_first',
    })
    expect(((await radio('Fill first')) as HTMLInputElement).checked).toBe(true)
    await screen.findByText('Settings saved')
  })

  it('other settings do not send the strategy, so they cannot overwrite it', async () => {
    const puts = serveSettings({ routingStrategy: 'reset_drain' })
    const { user } = renderApp('/settings')
    await user.click(await screen.findByRole('switch', { name: 'Sticky threads' }))
    await waitFor(() => expect(puts).toHaveLength(1))
    expect(puts[0]).not.toHaveProperty('routingStrategy')
  })

  it('a refused save puts the previous choice back and says why', async () => {
    serveSettings({ routingStrategy: 'capacity_weighted' }, true)
    const { user } = renderApp('/settings')
    await user.click(await radio('Reset drain'))
    await screen.findByText(/routingStrategy: invalid option/)
    await waitFor(async () =>
      expect(((await radio('Capacity weighted')) as HTMLInputElement).checked).toBe(true),
    )
  })
})
