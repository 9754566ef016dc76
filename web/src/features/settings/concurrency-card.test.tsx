import type { DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

/** The environment defaults the server falls back to on null. */
const ENV = { accountMaxStreams: 8, accountQueueWaitSeconds: 10 }

function serveSettings(initial: Partial<DashboardSettings>, fail?: () => Response) {
  let settings: DashboardSettings = { ...defaultSettings, ...ENV, ...initial }
  const puts: unknown[] = []
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>
      puts.push(body)
      if (fail) return fail()
      const next = { ...settings, ...body } as Record<string, unknown>
      for (const [k, v] of Object.entries(ENV)) if (next[k] === null) next[k] = v
      settings = next as DashboardSettings
      return HttpResponse.json(settings)
    }),
  )
  return puts
}

async function card() {
  const title = await screen.findByText('Concurrency')
  return within(title.closest('[data-slot="card"]') as HTMLElement)
}

describe('Settings → Concurrency', () => {
  it('shows the effective cap and wait and saves both, keeping the routing flags', async () => {
    const puts = serveSettings({ accountMaxStreams: 4 })
    const { user } = renderApp('/settings')
    const section = await card()
    const cap = (await section.findByLabelText('Streams per account')) as HTMLInputElement
    const wait = section.getByLabelText('Wait for a free slot') as HTMLInputElement
    await waitFor(() => expect(cap.value).toBe('4'))
    expect(wait.value).toBe('10')
    const save = section.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)

    await user.clear(cap)
    await user.type(cap, '2')
    await user.clear(wait)
    await user.type(wait, '30')
    await user.click(save)

    await waitFor(() =>
      expect(puts).toEqual([
        {
          stickyThreadsEnabled: true,
          preferEarlierResetAccounts: false,
          accountMaxStreams: 2,
          accountQueueWaitSeconds: 30,
        },
      ]),
    )
    expect(await screen.findByText('Concurrency limits saved')).toBeTruthy()
  })

  it.each([['0'], ['-1'], ['1.5'], ['abc'], ['1001']])(
    'refuses a cap of %s without sending it',
    async (typed) => {
      const puts = serveSettings({})
      const { user } = renderApp('/settings')
      const section = await card()
      const cap = (await section.findByLabelText('Streams per account')) as HTMLInputElement
      await waitFor(() => expect(cap.value).toBe('8'))
      await user.clear(cap)
      await user.type(cap, typed)
      expect(section.getByText('A whole number from 1 to 1000')).toBeTruthy()
      expect(cap.getAttribute('aria-invalid')).toBe('true')
      const save = section.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement
      expect(save.disabled).toBe(true)
      await user.click(save)
      expect(puts).toEqual([])
    },
  )

  it('refuses a wait of 0 seconds', async () => {
    serveSettings({})
    const { user } = renderApp('/settings')
    const section = await card()
    const wait = (await section.findByLabelText('Wait for a free slot')) as HTMLInputElement
    await waitFor(() => expect(wait.value).toBe('10'))
    await user.clear(wait)
    await user.type(wait, '0')
    expect(section.getByText('A whole number from 1 to 600')).toBeTruthy()
  })

  it('"Use defaults" sends null for both and shows what the server answers', async () => {
    const puts = serveSettings({ accountMaxStreams: 3, accountQueueWaitSeconds: 45 })
    const { user } = renderApp('/settings')
    const section = await card()
    const cap = (await section.findByLabelText('Streams per account')) as HTMLInputElement
    await waitFor(() => expect(cap.value).toBe('3'))
    await user.click(section.getByRole('button', { name: 'Use defaults' }))
    await waitFor(() => expect(cap.value).toBe('8'))
    expect((section.getByLabelText('Wait for a free slot') as HTMLInputElement).value).toBe('10')
    expect(puts).toEqual([
      {
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        accountMaxStreams: null,
        accountQueueWaitSeconds: null,
      },
    ])
  })

  it("shows the server's 422 message", async () => {
    serveSettings({}, () =>
      dashboardError(
        422,
        'validation_error',
        'Invalid request payload: accountMaxStreams: Too big',
      ),
    )
    const { user } = renderApp('/settings')
    const section = await card()
    const cap = (await section.findByLabelText('Streams per account')) as HTMLInputElement
    await waitFor(() => expect(cap.value).toBe('8'))
    await user.clear(cap)
    await user.type(cap, '5')
    await user.click(section.getByRole('button', { name: 'Save limits' }))
    expect(await screen.findByText(/accountMaxStreams: Too big/)).toBeTruthy()
  })
})
