import type { DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { expect } from 'vitest'
import { defaultSettings } from './factories'
import { renderApp } from './render'
import { server } from './server'

/** The routing flags (as defaultSettings has them) every settings PUT sends along. */
export const ROUTING_FLAGS = { stickyThreadsEnabled: true, preferEarlierResetAccounts: false }

/**
 * A stand-in for GET/PUT /api/settings as the server has them, where a null in a field of
 * `envDefaults` falls back to its environment default. Each call serves `initial` over the
 * defaults over defaultSettings; a PUT merges its body (or `fail` answers it instead). The call
 * returns the PUT bodies, in order.
 */
export function settingsServer(envDefaults: Partial<DashboardSettings>) {
  return (initial: Partial<DashboardSettings>, fail?: () => Response): unknown[] => {
    let settings: DashboardSettings = { ...defaultSettings, ...envDefaults, ...initial }
    const puts: unknown[] = []
    server.use(
      http.get('*/api/settings', () => HttpResponse.json(settings)),
      http.put('*/api/settings', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>
        puts.push(body)
        if (fail) return fail()
        const next = { ...settings, ...body } as Record<string, unknown>
        for (const [k, v] of Object.entries(envDefaults)) if (next[k] === null) next[k] = v
        settings = next as DashboardSettings
        return HttpResponse.json(settings)
      }),
    )
    return puts
  }
}

/** Opens /settings and finds the card titled `title`, to query within. */
export async function openSettingsCard(title: string) {
  const { user } = renderApp('/settings')
  const heading = await screen.findByText(title)
  return { user, section: within(heading.closest('[data-slot="card"]') as HTMLElement) }
}

type Section = Awaited<ReturnType<typeof openSettingsCard>>['section']

/** The number field labelled `label`, once it shows `value` (the settings have loaded). */
export async function numberField(
  section: Section,
  label: string,
  value: string,
): Promise<HTMLInputElement> {
  const input = (await section.findByLabelText(label)) as HTMLInputElement
  await waitFor(() => expect(input.value).toBe(value))
  return input
}
