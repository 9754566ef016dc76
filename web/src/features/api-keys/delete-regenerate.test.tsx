import type { ApiKey } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeApiKey } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

// Seed 004 §13.5: delete and regenerate ask first; nothing is sent before the user confirms.
const NEW_SECRET = 'sk-clb-REGENERATED-9876543210zyxwvutsrqponmlkjihgf'

type Sent = { method: string; path: string; body: string }

function serveKeys(options: { deleteFails?: boolean } = {}) {
  let keys: ApiKey[] = [
    makeApiKey({ id: 'key_7', name: 'ci runner', keyPrefix: 'sk-clb-old00000' }),
    makeApiKey({ id: 'key_8', name: 'laptop', keyPrefix: 'sk-clb-lap00000' }),
  ]
  const sent: Sent[] = []
  const record = async (request: Request) =>
    sent.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body: await request.text(),
    })
  server.use(
    http.get('*/api/api-keys/', () => HttpResponse.json(keys)),
    http.delete('*/api/api-keys/:id', async ({ request, params }) => {
      await record(request)
      if (options.deleteFails) return dashboardError(404, 'api_key_not_found', 'API key not found')
      keys = keys.filter((k) => k.id !== params['id'])
      return new HttpResponse(null, { status: 204 })
    }),
    http.post('*/api/api-keys/:id/regenerate', async ({ request, params }) => {
      await record(request)
      keys = keys.map((k) =>
        k.id === params['id'] ? { ...k, keyPrefix: NEW_SECRET.slice(0, 15) } : k,
      )
      const key = keys.find((k) => k.id === params['id'])!
      return HttpResponse.json({ ...key, key: NEW_SECRET })
    }),
  )
  return sent
}

type User = ReturnType<typeof renderApp>['user']

async function chooseAction(user: User, keyName: string, action: 'Delete' | 'Regenerate') {
  await user.click(await screen.findByRole('button', { name: `Actions for ${keyName}` }))
  await user.click(await screen.findByRole('menuitem', { name: action }))
  return screen.findByRole('dialog', { name: `${action} API key?` })
}

const rowNames = () =>
  screen.queryAllByTestId('api-key-row').map((r) => r.querySelector('.font-medium')?.textContent)

describe('API key delete confirmation', () => {
  it('Cancel sends nothing and keeps the key', async () => {
    const sent = serveKeys()
    const { user } = renderApp('/api-keys')
    const dialog = await chooseAction(user, 'ci runner', 'Delete')
    expect(
      within(dialog).getByText(/Clients using “ci runner” stop working immediately/),
    ).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([])
    expect(rowNames()).toEqual(['ci runner', 'laptop'])
  })

  it('confirming deletes that key only and the row disappears', async () => {
    const sent = serveKeys()
    const { user } = renderApp('/api-keys')
    const dialog = await chooseAction(user, 'ci runner', 'Delete')
    expect(sent).toEqual([])
    await user.click(within(dialog).getByRole('button', { name: 'Delete key' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([{ method: 'DELETE', path: '/api/api-keys/key_7', body: '' }])
    await waitFor(() => expect(rowNames()).toEqual(['laptop']))
  })

  it('a failed delete keeps the dialog open with the reason', async () => {
    const sent = serveKeys({ deleteFails: true })
    const { user } = renderApp('/api-keys')
    const dialog = await chooseAction(user, 'laptop', 'Delete')
    await user.click(within(dialog).getByRole('button', { name: 'Delete key' }))

    expect(await within(dialog).findByText('API key not found')).toBeTruthy()
    expect(sent).toEqual([{ method: 'DELETE', path: '/api/api-keys/key_8', body: '' }])
    expect(rowNames()).toEqual(['ci runner', 'laptop'])
  })
})

describe('API key regenerate confirmation', () => {
  it('Cancel sends nothing', async () => {
    const sent = serveKeys()
    const { user } = renderApp('/api-keys')
    const dialog = await chooseAction(user, 'ci runner', 'Regenerate')
    expect(within(dialog).getByText(/current secret of “ci runner” stops working/)).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([])
    expect(screen.queryByText(NEW_SECRET)).toBeNull()
  })

  it('confirming shows the new secret once; after "I stored it" it is gone from the page', async () => {
    const sent = serveKeys()
    const { user } = renderApp('/api-keys')
    const dialog = await chooseAction(user, 'ci runner', 'Regenerate')
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }))

    const shown = await screen.findByRole('dialog', { name: 'New key generated' })
    expect(within(shown).getByTestId('created-key').textContent).toBe(NEW_SECRET)
    expect(within(shown).getByText(/only time the key is shown/)).toBeTruthy()
    expect(sent).toEqual([{ method: 'POST', path: '/api/api-keys/key_7/regenerate', body: '' }])

    await user.click(within(shown).getByRole('button', { name: 'I stored it' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.body.textContent).not.toContain(NEW_SECRET)
    // The list shows the new prefix, never the secret.
    expect(await screen.findByText(`${NEW_SECRET.slice(0, 15)}…`)).toBeTruthy()
    expect(sent).toHaveLength(1)
  })
})
