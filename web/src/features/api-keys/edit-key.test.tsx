import { screen, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeApiKey } from '@/test/factories'
import { server } from '@/test/server'
import { renderApp } from '@/test/render'

// Seed 002 §6: the edit dialog sends `limits` only when the normalised rule set really changed, so a
// metadata edit can never reset usage on the server.
const KEY = makeApiKey({
  id: 'key_7',
  name: 'ci runner',
  limits: [
    {
      id: 1,
      limitType: 'total_tokens',
      limitWindow: 'weekly',
      maxValue: 1000,
      currentValue: 400,
      modelFilter: null,
      resetAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    },
    {
      id: 2,
      limitType: 'output_tokens',
      limitWindow: 'daily',
      maxValue: 50,
      currentValue: 20,
      modelFilter: 'gpt-5.5',
      resetAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  ],
})

type User = ReturnType<typeof renderApp>['user']

async function editAndSave(change: (dialog: HTMLElement, user: User) => Promise<void>) {
  const bodies: Array<Record<string, unknown>> = []
  server.use(
    http.get('*/api/models', () =>
      HttpResponse.json({ models: [{ id: 'gpt-5.5', name: 'GPT-5.5' }] }),
    ),
    http.get('*/api/api-keys/', () => HttpResponse.json([KEY])),
    http.patch('*/api/api-keys/:id', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>
      bodies.push(body)
      return HttpResponse.json(KEY)
    }),
  )
  const { user } = renderApp('/api-keys')
  await user.click(await screen.findByRole('button', { name: 'Actions for ci runner' }))
  await user.click(await screen.findByRole('menuitem', { name: /Edit/ }))
  const dialog = await screen.findByRole('dialog')
  await change(dialog, user)
  await user.click(within(dialog).getByRole('button', { name: 'Save' }))
  await screen.findByText('Saved ci runner')
  expect(bodies).toHaveLength(1)
  return bodies[0]!
}

describe('API key edit: limits are sent only when they changed (seed 002 §6)', () => {
  it('§6.3 a name-only edit sends no limits', async () => {
    const body = await editAndSave(async (dialog, user) => {
      const name = within(dialog).getByLabelText('Name')
      await user.clear(name)
      await user.type(name, 'renamed runner')
    })
    expect(body['name']).toBe('renamed runner')
    expect(body).not.toHaveProperty('limits')
  })

  it('§6.4 an active-only edit sends no limits', async () => {
    const body = await editAndSave(async (dialog, user) => {
      await user.click(within(dialog).getByRole('switch'))
    })
    expect(body['isActive']).toBe(false)
    expect(body).not.toHaveProperty('limits')
  })

  it('§6.5 changing a maximum sends the whole rule set', async () => {
    const body = await editAndSave(async (dialog, user) => {
      const max = within(dialog).getByLabelText('Rule 1 maximum')
      await user.clear(max)
      await user.type(max, '2000')
    })
    expect(body['limits']).toEqual([
      { limitType: 'total_tokens', limitWindow: 'weekly', maxValue: 2000, modelFilter: null },
      { limitType: 'output_tokens', limitWindow: 'daily', maxValue: 50, modelFilter: 'gpt-5.5' },
    ])
  })
})
