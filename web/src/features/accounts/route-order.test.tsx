import type { AccountSummary } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

function accountStore(initial: AccountSummary[], refuse = false) {
  let accounts = initial
  const patches: Array<{ id: string; body: unknown }> = []
  server.use(
    http.get('*/api/accounts', () => HttpResponse.json({ accounts })),
    http.patch('*/api/accounts/:id', async ({ params, request }) => {
      const body = (await request.json()) as { routeOrder: number | null }
      patches.push({ id: String(params.id), body })
      if (refuse) {
        return dashboardError(422, 'validation_error', 'routeOrder: must be at most 9999')
      }
      accounts = accounts.map((a) =>
        a.accountId === params.id ? { ...a, routeOrder: body.routeOrder } : a,
      )
      return HttpResponse.json({ accountId: params.id, routeOrder: body.routeOrder })
    }),
  )
  return patches
}

const alice = makeAccount({ routeOrder: 2 })
const bob = makeAccount({ accountId: 'acc_2', email: 'bob@example.com', routeOrder: null })

const positionButton = (email: string) =>
  screen.findAllByRole('button', { name: new RegExp(`^Routing position of ${email}`) })

describe('routing position in the account row', () => {
  it('shows each account’s position, or a dash when it has none', async () => {
    accountStore([alice, bob])
    renderApp('/accounts')
    const [a] = await positionButton('alice@example.com')
    const [b] = await positionButton('bob@example.com')
    expect(a!.textContent).toBe('#2')
    expect(a!.getAttribute('aria-label')).toBe('Routing position of alice@example.com: 2')
    expect(b!.textContent).toBe('–')
  })

  it('sets a position and the row shows it after the save', async () => {
    const patches = accountStore([alice, bob])
    const { user } = renderApp('/accounts')
    await user.click((await positionButton('bob@example.com'))[0]!)
    const input = await screen.findByLabelText('Routing position')
    await user.clear(input)
    await user.type(input, '1')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(patches).toEqual([{ id: 'acc_2', body: { routeOrder: 1 } }]))
    await screen.findByText('bob@example.com is #1')
    await waitFor(async () =>
      expect((await positionButton('bob@example.com'))[0]!.textContent).toBe('#1'),
    )
  })

  it('clears a position', async () => {
    const patches = accountStore([alice, bob])
    const { user } = renderApp('/accounts')
    await user.click((await positionButton('alice@example.com'))[0]!)
    await user.click(await screen.findByRole('button', { name: 'Clear' }))
    await waitFor(() => expect(patches).toEqual([{ id: 'acc_1', body: { routeOrder: null } }]))
    await waitFor(async () =>
      expect((await positionButton('alice@example.com'))[0]!.textContent).toBe('–'),
    )
  })

  it.each(['0', '-1', '2.5', 'first', '10000'])('refuses %s before sending it', async (typed) => {
    const patches = accountStore([alice])
    const { user } = renderApp('/accounts')
    await user.click((await positionButton('alice@example.com'))[0]!)
    const input = await screen.findByLabelText('Routing position')
    await user.clear(input)
    await user.type(input, typed)
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText(/Enter a whole number from 1 to 9999/)).toBeTruthy()
    expect(patches).toEqual([])
  })

  it('shows the server’s refusal', async () => {
    accountStore([alice], true)
    const { user } = renderApp('/accounts')
    await user.click((await positionButton('alice@example.com'))[0]!)
    const dialog = await screen.findByRole('dialog')
    await user.type(within(dialog).getByLabelText('Routing position'), '5')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await screen.findByText(/routeOrder: must be at most 9999/)
  })
})
