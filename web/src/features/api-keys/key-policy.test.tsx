import type { ApiKeyCreateBody } from '@codex-lb/shared'
import { screen, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount, makeApiKey } from '@/test/factories'
import { server } from '@/test/server'
import { renderApp } from '@/test/render'

// Issue 11 item 9: the API-key dialog edits the key's policy (efforts, tiers, accounts, cap).
const ACCOUNTS = [
  makeAccount({ accountId: 'acc_a', email: 'a@example.com' }),
  makeAccount({ accountId: 'acc_b', email: 'b@example.com' }),
]

function withAccounts() {
  server.use(http.get('*/api/accounts', () => HttpResponse.json({ accounts: ACCOUNTS })))
}

describe('API key dialog: policy fields', () => {
  it('creates a key with efforts, a tier, an account and a concurrency cap', async () => {
    withAccounts()
    const bodies: ApiKeyCreateBody[] = []
    server.use(
      http.post('*/api/api-keys/', async ({ request }) => {
        const body = (await request.json()) as ApiKeyCreateBody
        bodies.push(body)
        return HttpResponse.json({ ...makeApiKey({ name: body.name }), key: 'sk-clb-x' })
      }),
    )
    const { user } = renderApp('/api-keys')
    await user.click((await screen.findAllByRole('button', { name: /Create key/ }))[0]!)
    const dialog = await screen.findByRole('dialog')
    await user.type(within(dialog).getByLabelText('Name'), 'capped')
    await user.click(within(dialog).getByLabelText('Reasoning efforts: low'))
    await user.click(within(dialog).getByLabelText('Reasoning efforts: medium'))
    await user.click(within(dialog).getByLabelText('Service tiers: default'))
    await user.click(await within(dialog).findByLabelText('Accounts: b@example.com'))
    await user.type(within(dialog).getByLabelText('Max concurrent requests'), '2')
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }))
    await screen.findByTestId('created-key')
    expect(bodies).toEqual([
      {
        name: 'capped',
        allowedModels: null,
        expiresAt: null,
        limits: null,
        allowedReasoningEfforts: ['low', 'medium'],
        allowedServiceTiers: ['default'],
        allowedAccountIds: ['acc_b'],
        maxConcurrentRequests: 2,
      },
    ])
  })

  const KEY = makeApiKey({
    id: 'key_p',
    name: 'policy key',
    allowedReasoningEfforts: ['low', 'high'],
    allowedServiceTiers: ['flex'],
    allowedAccountIds: ['acc_a'],
    maxConcurrentRequests: 3,
  })

  async function openEdit() {
    withAccounts()
    const bodies: Array<Record<string, unknown>> = []
    let answer: () => Response = () => HttpResponse.json(KEY)
    server.use(
      http.get('*/api/api-keys/', () => HttpResponse.json([KEY])),
      http.patch('*/api/api-keys/:id', async ({ request }) => {
        bodies.push((await request.json()) as Record<string, unknown>)
        return answer()
      }),
    )
    const { user } = renderApp('/api-keys')
    await user.click(await screen.findByRole('button', { name: 'Actions for policy key' }))
    await user.click(await screen.findByRole('menuitem', { name: /Edit/ }))
    const dialog = await screen.findByRole('dialog')
    return { user, dialog, bodies, fail: (r: () => Response) => (answer = r) }
  }

  it('shows the stored policy and sends only what changed', async () => {
    const { user, dialog, bodies } = await openEdit()
    const checked = (label: string) =>
      within(dialog).getByLabelText(label).getAttribute('aria-checked') === 'true' ||
      within(dialog).getByLabelText(label).getAttribute('data-state') === 'checked'
    expect(checked('Reasoning efforts: low')).toBe(true)
    expect(checked('Reasoning efforts: medium')).toBe(false)
    expect(checked('Service tiers: flex')).toBe(true)
    expect(checked(`Accounts: a@example.com`)).toBe(true)
    expect(within(dialog).getByLabelText('Max concurrent requests')).toHaveProperty('value', '3')

    await user.click(within(dialog).getByLabelText('Reasoning efforts: high'))
    await user.clear(within(dialog).getByLabelText('Max concurrent requests'))
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved policy key')
    expect(bodies).toHaveLength(1)
    expect(bodies[0]).toMatchObject({
      allowedReasoningEfforts: ['low'],
      maxConcurrentRequests: null,
    })
    expect(bodies[0]).not.toHaveProperty('allowedServiceTiers')
    expect(bodies[0]).not.toHaveProperty('allowedAccountIds')
  })

  it("a name-only edit sends no policy field; the server's 422 is shown in the dialog", async () => {
    const { user, dialog, bodies, fail } = await openEdit()
    fail(() =>
      HttpResponse.json(
        {
          error: {
            code: 'validation_error',
            message: 'Invalid request payload: maxConcurrentRequests: must be a positive integer',
          },
        },
        { status: 422 },
      ),
    )
    const cap = within(dialog).getByLabelText('Max concurrent requests')
    await user.clear(cap)
    await user.type(cap, '0')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(
      await within(dialog).findByText(/maxConcurrentRequests: must be a positive integer/),
    ).toBeTruthy()
    expect(bodies[0]).toMatchObject({ maxConcurrentRequests: 0 })

    fail(() => HttpResponse.json(KEY))
    await user.clear(cap)
    await user.type(cap, '3')
    const name = within(dialog).getByLabelText('Name')
    await user.type(name, ' 2')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved policy key')
    expect(Object.keys(bodies[1]!).sort()).toEqual(
      ['expiresAt', 'isActive', 'name', 'allowedModels'].sort(),
    )
  })
})
