import type { DashboardSettings, OverflowUpstream } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

// Settings → Overflow (issue 11 item 9): the mode selector and the overflow upstream list.
const envUpstream: OverflowUpstream = {
  id: 'env',
  name: 'Environment (CODEX_LB_OVERFLOW_BASE_URL)',
  baseUrl: 'https://api.openai.com/v1',
  apiKeyPrefix: 'sk-proj-ab…',
  models: [],
  inputPrice: null,
  cachedInputPrice: null,
  outputPrice: null,
  source: 'env',
  cooldownUntil: null,
}

function serve(initial: OverflowUpstream[] = [envUpstream], reject?: { field: string }) {
  let settings: DashboardSettings = { ...defaultSettings, overflowMode: 'off' }
  let list = [...initial]
  const sent: Array<{ method: string; path: string; body: unknown }> = []
  server.use(
    http.get('*/api/settings', () => HttpResponse.json(settings)),
    http.put('*/api/settings', async ({ request }) => {
      const body = (await request.json()) as Partial<DashboardSettings>
      sent.push({ method: 'PUT', path: '/api/settings', body })
      settings = { ...settings, ...body }
      return HttpResponse.json(settings)
    }),
    http.get('*/api/overflow-upstreams', () => HttpResponse.json(list)),
    http.post('*/api/overflow-upstreams', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>
      sent.push({ method: 'POST', path: '/api/overflow-upstreams', body })
      if (reject) {
        return dashboardError(422, 'validation_error', `Invalid request payload: ${reject.field}`)
      }
      const created: OverflowUpstream = {
        ...envUpstream,
        id: 'u1',
        source: 'dashboard',
        name: body['name'] as string,
        baseUrl: body['baseUrl'] as string,
        apiKeyPrefix: 'sk-new-ke…',
        models: body['models'] as OverflowUpstream['models'],
      }
      list = [...list, created]
      return HttpResponse.json(created, { status: 201 })
    }),
    http.delete('*/api/overflow-upstreams/:id', ({ params }) => {
      sent.push({
        method: 'DELETE',
        path: `/api/overflow-upstreams/${String(params['id'])}`,
        body: null,
      })
      list = list.filter((u) => u.id !== params['id'])
      return new HttpResponse(null, { status: 204 })
    }),
  )
  return sent
}

describe('Overflow settings card', () => {
  it('saves the mode with the routing flags PUT needs, and explains it', async () => {
    const sent = serve()
    const { user } = renderApp('/settings')
    const select = await screen.findByLabelText('Overflow mode')
    expect(screen.getByText(/requests only ever go to the accounts/)).toBeTruthy()
    await user.selectOptions(select, 'exhausted')
    await waitFor(() =>
      expect(sent).toContainEqual({
        method: 'PUT',
        path: '/api/settings',
        body: {
          stickyThreadsEnabled: true,
          preferEarlierResetAccounts: false,
          overflowMode: 'exhausted',
        },
      }),
    )
    expect(await screen.findByText(/only when no account can serve them/)).toBeTruthy()
  })

  it('lists the environment upstream read-only and adds one with renamed models and prices', async () => {
    const sent = serve()
    const { user } = renderApp('/settings')
    const list = await screen.findByRole('list', { name: 'Overflow upstreams' })
    expect(within(list).getByText('environment')).toBeTruthy()
    expect(within(list).queryByRole('button', { name: 'Edit' })).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Add overflow upstream' }))
    const form = screen.getByRole('form', { name: 'New overflow upstream' })
    await user.type(within(form).getByLabelText('Name'), 'openai')
    await user.type(within(form).getByLabelText('API key'), 'sk-new-key-123456')
    await user.type(within(form).getByLabelText(/^Models/), 'gpt-5.5 -> gpt-5.1{enter}gpt-5.4')
    await user.type(within(form).getByLabelText('Output $/1M'), '10')
    await user.click(within(form).getByRole('button', { name: 'Add upstream' }))

    await waitFor(() => expect(screen.queryByRole('form')).toBeNull())
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({
      name: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-new-key-123456',
      models: [
        { model: 'gpt-5.5', upstreamModel: 'gpt-5.1' },
        { model: 'gpt-5.4', upstreamModel: null },
      ],
      inputPrice: null,
      cachedInputPrice: null,
      outputPrice: 10,
    })
    expect(await within(list).findByText('gpt-5.5 → gpt-5.1, gpt-5.4')).toBeTruthy()
    expect(document.body.textContent).not.toContain('sk-new-key-123456')

    await user.click(within(list).getByRole('button', { name: 'Delete openai' }))
    await waitFor(() => expect(within(list).queryByText('openai')).toBeNull())
    expect(sent.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/overflow-upstreams/u1' })
  })

  it('shows the server’s 422 naming the field and keeps the form open', async () => {
    serve([], { field: 'baseUrl: http://nowhere.invalid/v1 cannot be reached' })
    const { user } = renderApp('/settings')
    expect(await screen.findByText('No overflow upstreams yet.')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Add overflow upstream' }))
    const form = screen.getByRole('form', { name: 'New overflow upstream' })
    await user.type(within(form).getByLabelText('Name'), 'bad')
    await user.clear(within(form).getByLabelText('Base URL'))
    await user.type(within(form).getByLabelText('Base URL'), 'http://nowhere.invalid/v1')
    await user.type(within(form).getByLabelText('API key'), 'sk-x')
    await user.click(within(form).getByRole('button', { name: 'Add upstream' }))
    expect((await within(form).findByRole('alert')).textContent).toContain('baseUrl')
    expect(screen.getByRole('form', { name: 'New overflow upstream' })).toBeTruthy()
  })
})
