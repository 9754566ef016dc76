import type { AccountSummary, DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings, makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

function serve(accounts: AccountSummary[], settings: Partial<DashboardSettings> = {}) {
  const puts: Array<{ id: string; body: unknown }> = []
  let list = accounts
  server.use(
    http.get('*/api/settings', () =>
      HttpResponse.json({ ...defaultSettings, accountMaxStreams: 8, ...settings }),
    ),
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: list })),
    http.put('*/api/accounts/:id/concurrency', async ({ params, request }) => {
      const body = (await request.json()) as { maxStreams: number | null }
      const id = String(params.id)
      puts.push({ id, body })
      if (body.maxStreams === 999) {
        return dashboardError(422, 'validation_error', 'Invalid request payload: maxStreams')
      }
      list = list.map((a) => (a.accountId === id ? { ...a, maxStreams: body.maxStreams } : a))
      return HttpResponse.json({ accountId: id, maxStreams: body.maxStreams })
    }),
  )
  return puts
}

function rowFor(email: string): HTMLElement {
  const row = screen.getAllByTestId('account-row').find((r) => r.textContent?.includes(email))
  if (!row) throw new Error(`no row for ${email}`)
  return row
}

const a = () => makeAccount({ accountId: 'acc_a', email: 'a@example.com', maxStreams: null })
const b = () => makeAccount({ accountId: 'acc_b', email: 'b@example.com', maxStreams: 3 })

describe('account concurrency cap', () => {
  it("shows each row's effective cap: the global one, or the account's own", async () => {
    serve([a(), b()], { accountMaxStreams: 6 })
    renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await waitFor(() =>
      expect(
        within(rowFor('a@example.com')).getByLabelText(/Concurrency cap of a@/).textContent,
      ).toBe('≤6'),
    )
    const own = within(rowFor('b@example.com')).getByLabelText(/Concurrency cap of b@/)
    expect(own.textContent).toBe('≤3')
    expect(own.getAttribute('title')).toContain("this account's own cap")
  })

  it('sets a cap from the row, and an empty field returns it to the global one', async () => {
    const puts = serve([a(), b()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await user.click(within(rowFor('a@example.com')).getByLabelText(/Concurrency cap of a@/))
    const dialog = within(await screen.findByRole('dialog'))
    const input = dialog.getByLabelText('Streams at once') as HTMLInputElement
    expect(input.placeholder).toBe('Global (8)')
    await user.type(input, '2')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(puts).toEqual([{ id: 'acc_a', body: { maxStreams: 2 } }]))
    await waitFor(() =>
      expect(
        within(rowFor('a@example.com')).getByLabelText(/Concurrency cap of a@/).textContent,
      ).toBe('≤2'),
    )

    // The account menu opens the same dialog.
    await user.click(
      within(rowFor('b@example.com')).getByRole('button', { name: 'Actions for b@example.com' }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Concurrency cap/ }))
    const again = within(await screen.findByRole('dialog'))
    const field = again.getByLabelText('Streams at once') as HTMLInputElement
    expect(field.value).toBe('3')
    await user.clear(field)
    await user.click(again.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(puts.at(-1)).toEqual({ id: 'acc_b', body: { maxStreams: null } }))
  })

  it.each([['0'], ['-2'], ['2.5'], ['1001']])('refuses %s in place', async (typed) => {
    const puts = serve([a()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await user.click(within(rowFor('a@example.com')).getByLabelText(/Concurrency cap of a@/))
    const dialog = within(await screen.findByRole('dialog'))
    await user.type(dialog.getByLabelText('Streams at once'), typed)
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    expect(dialog.getByText('Enter a whole number from 1 to 1000')).toBeTruthy()
    expect(puts).toEqual([])
  })

  it("shows the server's 422", async () => {
    serve([a()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await user.click(within(rowFor('a@example.com')).getByLabelText(/Concurrency cap of a@/))
    const dialog = within(await screen.findByRole('dialog'))
    await user.type(dialog.getByLabelText('Streams at once'), '999')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText(/Invalid request payload: maxStreams/)).toBeTruthy()
  })
})
