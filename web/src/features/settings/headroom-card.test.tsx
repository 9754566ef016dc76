import type { DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

const ENV_DEFAULT = 100

function serveSettings(initial: Partial<DashboardSettings>, fail?: () => Response) {
  let settings: DashboardSettings = { ...defaultSettings, ...initial }
  const puts: unknown[] = []
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>
      puts.push(body)
      if (fail) return fail()
      const next = { ...settings, ...body } as Record<string, unknown>
      // null returns a ceiling to its environment default, as the server does.
      for (const k of ['headroomPrimaryPercent', 'headroomSecondaryPercent']) {
        if (next[k] === null) next[k] = ENV_DEFAULT
      }
      settings = next as DashboardSettings
      return HttpResponse.json(settings)
    }),
  )
  return puts
}

async function card() {
  const title = await screen.findByText('Usage ceilings')
  return title.closest('[data-slot="card"]') as HTMLElement
}

describe('Settings → Usage ceilings', () => {
  it('shows the effective ceilings and saves both, keeping the routing flags', async () => {
    const puts = serveSettings({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 90 })
    const { user } = renderApp('/settings')
    const section = within(await card())
    const weekly = (await section.findByLabelText('Weekly window')) as HTMLInputElement
    await waitFor(() => expect(weekly.value).toBe('90'))
    const save = section.getByRole('button', { name: 'Save ceilings' })
    expect((save as HTMLButtonElement).disabled).toBe(true)

    await user.clear(weekly)
    await user.type(weekly, '80')
    await user.click(save)

    await waitFor(() =>
      expect(puts).toEqual([
        {
          stickyThreadsEnabled: true,
          preferEarlierResetAccounts: false,
          headroomPrimaryPercent: 100,
          headroomSecondaryPercent: 80,
        },
      ]),
    )
    expect(await screen.findByText('Usage ceilings saved')).toBeTruthy()
  })

  it('refuses a ceiling outside 0–100 without sending it', async () => {
    const puts = serveSettings({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 })
    const { user } = renderApp('/settings')
    const section = within(await card())
    const fiveHour = (await section.findByLabelText('5-hour window')) as HTMLInputElement
    await waitFor(() => expect(fiveHour.value).toBe('100'))
    await user.clear(fiveHour)
    await user.type(fiveHour, '120')
    expect(section.getByText('From 0 to 100')).toBeTruthy()
    expect(fiveHour.getAttribute('aria-invalid')).toBe('true')
    const save = section.getByRole('button', { name: 'Save ceilings' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    await user.click(save)
    expect(puts).toEqual([])
  })

  it('"Use defaults" sends null for both and shows what the server answers', async () => {
    const puts = serveSettings({ headroomPrimaryPercent: 70, headroomSecondaryPercent: 60 })
    const { user } = renderApp('/settings')
    const section = within(await card())
    const weekly = (await section.findByLabelText('Weekly window')) as HTMLInputElement
    await waitFor(() => expect(weekly.value).toBe('60'))
    await user.click(section.getByRole('button', { name: 'Use defaults' }))
    await waitFor(() => expect(weekly.value).toBe('100'))
    expect(puts).toEqual([
      {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        headroomPrimaryPercent: null,
        headroomSecondaryPercent: null,
      },
    ])
  })

  it("shows the server's 422 message", async () => {
    serveSettings({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 }, () =>
      dashboardError(
        422,
        'validation_error',
        'Invalid request payload: headroomSecondaryPercent: Too big',
      ),
    )
    const { user } = renderApp('/settings')
    const section = within(await card())
    const weekly = (await section.findByLabelText('Weekly window')) as HTMLInputElement
    await waitFor(() => expect(weekly.value).toBe('100'))
    await user.clear(weekly)
    await user.type(weekly, '50')
    await user.click(section.getByRole('button', { name: 'Save ceilings' }))
    expect(await screen.findByText(/headroomSecondaryPercent: Too big/)).toBeTruthy()
  })
})
