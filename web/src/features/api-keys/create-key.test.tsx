import type { ApiKeyCreateBody } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeApiKey } from '@/test/factories'
import { server } from '@/test/server'
import { renderApp } from '@/test/render'

const PLAINTEXT = 'sk-clb-ONLY-SHOWN-ONCE-0123456789abcdefghijklmnopq'

describe('API key creation', () => {
  it('creates a key with models and a limit, then shows the plaintext key exactly once', async () => {
    const bodies: ApiKeyCreateBody[] = []
    let keys = [] as ReturnType<typeof makeApiKey>[]
    server.use(
      http.get('*/api/models', () =>
        HttpResponse.json({
          models: [
            { id: 'gpt-5.5', name: 'GPT-5.5' },
            { id: 'gpt-6.1-sol', name: 'GPT-6.1 Sol' },
          ],
        }),
      ),
      http.get('*/api/api-keys/', () => HttpResponse.json(keys)),
      http.post('*/api/api-keys/', async ({ request }) => {
        const body = (await request.json()) as ApiKeyCreateBody
        bodies.push(body)
        const created = makeApiKey({
          id: 'key_9',
          name: body.name,
          allowedModels: body.allowedModels ?? null,
          keyPrefix: PLAINTEXT.slice(0, 15),
          limits: (body.limits ?? []).map((l, i) => ({
            id: i + 1,
            limitType: l.limitType,
            limitWindow: l.limitWindow,
            maxValue: l.maxValue,
            currentValue: 0,
            modelFilter: l.modelFilter ?? null,
            resetAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          })),
        })
        keys = [created]
        return HttpResponse.json({ ...created, key: PLAINTEXT })
      }),
    )
    const { user } = renderApp('/api-keys')
    await user.click((await screen.findAllByRole('button', { name: /Create key/ }))[0]!)

    const dialog = await screen.findByRole('dialog')
    await user.type(within(dialog).getByLabelText('Name'), 'ci runner')
    await user.click(await within(dialog).findByLabelText('GPT-5.5'))
    await user.click(within(dialog).getByRole('button', { name: /Add limit/ }))
    await user.selectOptions(within(dialog).getByLabelText('Rule 1 type'), 'cost_usd')
    await user.type(within(dialog).getByLabelText('Rule 1 maximum'), '5')
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }))

    const shown = await screen.findByTestId('created-key')
    expect(shown.textContent).toBe(PLAINTEXT)
    expect(screen.getByText(/only time the key is shown/)).toBeTruthy()
    expect(bodies).toEqual([
      {
        name: 'ci runner',
        allowedModels: ['gpt-5.5'],
        expiresAt: null,
        // Cost limits are sent in micro-dollars.
        limits: [
          { limitType: 'cost_usd', limitWindow: 'weekly', maxValue: 5_000_000, modelFilter: null },
        ],
      },
    ])

    await user.click(screen.getByRole('button', { name: 'I stored it' }))
    const row = await screen.findByTestId('api-key-row')
    expect(within(row).getByText('ci runner')).toBeTruthy()
    expect(within(row).getByText('$0.00 / $5.00')).toBeTruthy()
    await waitFor(() => expect(screen.queryByText(PLAINTEXT)).toBeNull())
  })
})
