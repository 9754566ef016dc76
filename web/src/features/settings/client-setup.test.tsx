import { codexConfigToml, type DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

// happy-dom's own hook for moving the page to another origin (window.location cannot be assigned).
const happyDom = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM
const TEST_ORIGIN = window.location.origin

afterEach(() => happyDom.setURL(`${TEST_ORIGIN}/`))

function serveSettings(initial: Partial<DashboardSettings>) {
  let settings: DashboardSettings = { ...defaultSettings, ...initial }
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      settings = { ...settings, ...((await request.json()) as Partial<DashboardSettings>) }
      return HttpResponse.json(settings)
    }),
  )
}

const codexConfig = async () => (await screen.findByTestId('codex-config')).textContent

describe('client setup snippet (README "Client setup", rendered for this page)', () => {
  it('uses the page origin and switches from requires_openai_auth to env_key with the setting', async () => {
    happyDom.setURL('https://lb.example:8443/')
    serveSettings({ apiKeyAuthEnabled: false })
    const { user } = renderApp('/settings')

    const open = await codexConfig()
    expect(open).toContain('name = "OpenAI"')
    expect(open).toContain('base_url = "https://lb.example:8443/backend-api/codex"')
    expect(open).toContain('wire_api = "responses"')
    expect(open).toContain('requires_openai_auth = true')
    expect(open).not.toContain('env_key')
    // The same renderer README.md's snippet is checked against.
    expect(open).toBe(codexConfigToml({ origin: 'https://lb.example:8443', apiKeyRequired: false }))
    expect(screen.queryByText(/export CODEX_LB_API_KEY/)).toBeNull()

    await user.click(await screen.findByRole('switch', { name: 'Require API keys' }))
    const dialog = await screen.findByRole('dialog', { name: 'Require API keys?' })
    await user.click(within(dialog).getByRole('button', { name: 'Require API keys' }))

    await waitFor(async () => expect(await codexConfig()).toContain('env_key = "CODEX_LB_API_KEY"'))
    expect(await codexConfig()).not.toContain('requires_openai_auth')
    expect(screen.getByText('export CODEX_LB_API_KEY=sk-clb-…')).toBeTruthy()

    await user.click(screen.getByRole('tab', { name: 'OpenAI SDK' }))
    const sdk = (await screen.findByTestId('sdk-snippet')).textContent
    expect(sdk).toContain("baseURL: 'https://lb.example:8443/v1',")
    expect(sdk).toContain('apiKey: process.env.CODEX_LB_API_KEY,')
  })

  it('renders another origin as it is, keys required from the start', async () => {
    happyDom.setURL('http://10.0.0.7:2455/')
    serveSettings({ apiKeyAuthEnabled: true })
    const { user } = renderApp('/settings')

    const config = await codexConfig()
    expect(config).toContain('base_url = "http://10.0.0.7:2455/backend-api/codex"')
    expect(config).toContain('env_key = "CODEX_LB_API_KEY"')
    expect(config).not.toContain('requires_openai_auth')

    await user.click(screen.getByRole('tab', { name: 'OpenAI SDK' }))
    const sdk = (await screen.findByTestId('sdk-snippet')).textContent
    expect(sdk).toContain("baseURL: 'http://10.0.0.7:2455/v1',")
    expect(screen.getByText('http://10.0.0.7:2455/v1')).toBeTruthy()
  })
})
