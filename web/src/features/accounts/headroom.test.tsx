import type { AccountSummary, DashboardSettings } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { defaultSettings, makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

function serve(accounts: AccountSummary[], settings: Partial<DashboardSettings>) {
  const puts: Array<{ id: string; body: unknown }> = []
  let list = accounts
  server.use(
    http.get('*/api/settings', () => HttpResponse.json({ ...defaultSettings, ...settings })),
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: list })),
    http.put('*/api/accounts/:id/headroom', async ({ params, request }) => {
      const body = (await request.json()) as Record<string, number | null>
      const id = String(params.id)
      puts.push({ id, body })
      if (body['secondaryPercent'] === 42) {
        return dashboardError(422, 'validation_error', 'Invalid request payload: secondaryPercent')
      }
      const headroom = {
        primaryPercent: body['primaryPercent'] ?? null,
        secondaryPercent: body['secondaryPercent'] ?? null,
      }
      list = list.map((a) => (a.accountId === id ? { ...a, headroom } : a))
      return HttpResponse.json({ accountId: id, headroom })
    }),
  )
  return puts
}

function rowFor(email: string): HTMLElement {
  const row = screen.getAllByTestId('account-row').find((r) => r.textContent?.includes(email))
  if (!row) throw new Error(`no row for ${email}`)
  return row
}

/** The ceiling markers of a row: where each sits (left %) and what its tooltip says. */
function markers(row: HTMLElement) {
  return within(row)
    .queryAllByTestId('usage-ceiling')
    .map((m) => ({ left: m.style.left, title: m.getAttribute('title') }))
}

const alice = makeAccount({ headroom: { primaryPercent: null, secondaryPercent: null } })
const bob = makeAccount({
  accountId: 'acc_2',
  email: 'bob@example.com',
  headroom: { primaryPercent: 90, secondaryPercent: null },
})

describe('usage ceilings on the accounts page', () => {
  it('draws the global ceiling on each bar, and an account’s own where it has one', async () => {
    serve([alice, bob], { headroomPrimaryPercent: 100, headroomSecondaryPercent: 80 })
    renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    // Weekly 80 % used = 20 % left from the left edge of the remaining bar; no 5-hour ceiling.
    await waitFor(() => expect(markers(rowFor('alice@example.com'))).toHaveLength(1))
    expect(markers(rowFor('alice@example.com'))).toEqual([
      {
        left: '20%',
        title:
          'Usage ceiling 80% used: routing skips this account with less than 20% left, until the window resets',
      },
    ])
    expect(markers(rowFor('bob@example.com')).map((m) => m.left)).toEqual(['10%', '20%'])
  })

  it('edits one account’s ceiling from its menu; an empty field follows the global one', async () => {
    const puts = serve([alice, bob], { headroomPrimaryPercent: 100, headroomSecondaryPercent: 80 })
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await user.click(
      within(rowFor('bob@example.com')).getByRole('button', {
        name: 'Actions for bob@example.com',
      }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Usage ceiling/ }))
    const dialog = within(await screen.findByRole('dialog'))
    const fiveHour = dialog.getByLabelText('5-hour window') as HTMLInputElement
    const weekly = dialog.getByLabelText('Weekly window') as HTMLInputElement
    expect(fiveHour.value).toBe('90')
    expect(weekly.value).toBe('')
    expect(weekly.getAttribute('placeholder')).toBe('Global (80%)')

    await user.clear(fiveHour)
    await user.type(weekly, '95')
    await user.click(dialog.getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(puts).toEqual([{ id: 'acc_2', body: { primaryPercent: null, secondaryPercent: 95 } }])
    // The row redraws with the new ceiling: none on the 5-hour bar, 95 % on the weekly one.
    await waitFor(() =>
      expect(markers(rowFor('bob@example.com')).map((m) => m.left)).toEqual(['5%']),
    )
  })

  it('refuses a value outside 0–100 in place and shows a server refusal', async () => {
    const puts = serve([alice], { headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 })
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    await user.click(
      within(rowFor('alice@example.com')).getByRole('button', {
        name: 'Actions for alice@example.com',
      }),
    )
    await user.click(await screen.findByRole('menuitem', { name: /Usage ceiling/ }))
    const dialog = within(await screen.findByRole('dialog'))
    const weekly = dialog.getByLabelText('Weekly window')
    await user.type(weekly, '150')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    expect(dialog.getByText('Enter a percentage from 0 to 100')).toBeTruthy()
    expect(puts).toEqual([])

    await user.clear(weekly)
    await user.type(weekly, '42')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText(/Invalid request payload: secondaryPercent/)).toBeTruthy()
    expect(screen.getByRole('dialog')).toBeTruthy()
  })
})
