import type { AccountSummary } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { dashboardError, server } from '@/test/server'
import { renderApp } from '@/test/render'

function accountStore(initial: AccountSummary[]) {
  let accounts = initial
  const calls: string[] = []
  server.use(
    http.get('*/api/accounts', () => HttpResponse.json({ accounts })),
    http.post('*/api/accounts/:id/pause', ({ params }) => {
      calls.push(`pause ${String(params.id)}`)
      accounts = accounts.map((a) => (a.accountId === params.id ? { ...a, status: 'paused' } : a))
      return HttpResponse.json({ status: 'paused' })
    }),
    http.post('*/api/accounts/:id/reactivate', ({ params }) => {
      calls.push(`reactivate ${String(params.id)}`)
      accounts = accounts.map((a) => (a.accountId === params.id ? { ...a, status: 'active' } : a))
      return HttpResponse.json({ status: 'reactivated' })
    }),
    http.delete('*/api/accounts/:id', ({ params }) => {
      calls.push(`delete ${String(params.id)}`)
      accounts = accounts.filter((a) => a.accountId !== params.id)
      return HttpResponse.json({ status: 'deleted' })
    }),
  )
  return calls
}

const alice = makeAccount()
const bob = makeAccount({
  accountId: 'acc_2',
  email: 'bob@example.com',
  planType: 'pro',
  status: 'deactivated',
  deactivationReason: 'Refresh token expired - re-login required',
})
const carol = makeAccount({
  accountId: 'acc_3',
  email: 'carol@example.com',
  status: 'rate_limited',
})

function rowFor(email: string): HTMLElement {
  const row = screen.getAllByTestId('account-row').find((r) => r.textContent?.includes(email))
  if (!row) throw new Error(`no row for ${email}`)
  return row
}

describe('accounts table', () => {
  it('shows each account with its status, usage and the reason it needs a re-login', async () => {
    accountStore([alice, bob, carol])
    renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    expect(within(rowFor('alice@example.com')).getByText('Active')).toBeTruthy()
    expect(within(rowFor('alice@example.com')).getByText('80%')).toBeTruthy()
    expect(within(rowFor('carol@example.com')).getByText('Rate limited')).toBeTruthy()
    const bobRow = rowFor('bob@example.com')
    expect(within(bobRow).getByText('Needs re-login')).toBeTruthy()
    expect(within(bobRow).getByText(/Refresh token expired/)).toBeTruthy()
    expect(within(bobRow).getByRole('button', { name: /Re-login/ })).toBeTruthy()
  })

  it('pauses and resumes an account', async () => {
    const calls = accountStore([alice])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')

    await user.click(
      within(rowFor('alice@example.com')).getByRole('button', { name: /Actions for alice/ }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Pause/ }))
    await waitFor(() =>
      expect(within(rowFor('alice@example.com')).getByText('Paused')).toBeTruthy(),
    )

    await user.click(within(rowFor('alice@example.com')).getByRole('button', { name: /Resume/ }))
    await waitFor(() =>
      expect(within(rowFor('alice@example.com')).getByText('Active')).toBeTruthy(),
    )
    expect(calls).toEqual(['pause acc_1', 'reactivate acc_1'])
  })

  it('deletes only after confirmation', async () => {
    const calls = accountStore([alice, carol])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')

    await user.click(
      within(rowFor('alice@example.com')).getByRole('button', { name: /Actions for alice/ }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Delete/ }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByText('Delete account?')).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(calls).toEqual([])

    await user.click(
      within(rowFor('alice@example.com')).getByRole('button', { name: /Actions for alice/ }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Delete/ }))
    await user.click(
      within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete account' }),
    )
    await waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1))
    expect(calls).toEqual(['delete acc_1'])
  })

  it("shows the server's message when an auth.json import fails", async () => {
    accountStore([])
    server.use(
      http.post('*/api/accounts/import', () =>
        dashboardError(400, 'invalid_auth_json', 'Invalid auth.json payload'),
      ),
    )
    const { user } = renderApp('/accounts')
    await user.click((await screen.findAllByRole('button', { name: /Add account/ }))[0]!)
    await user.click(await screen.findByRole('tab', { name: /auth.json/ }))
    const input = await screen.findByTestId('auth-json-input')
    await user.upload(input, new File(['{"nope":1}'], 'auth.json', { type: 'application/json' }))
    expect(await screen.findByText('Invalid auth.json payload')).toBeTruthy()
  })
})
