import type { AccountCheck, AccountSummary } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

const RESET = '2030-01-02T03:04:00.000Z'

function serve(accounts: AccountSummary[], check?: Partial<AccountCheck>) {
  const patches: Array<{ id: string; body: unknown }> = []
  const checks: string[] = []
  let list = accounts
  server.use(
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: list })),
    http.patch('*/api/accounts/:id', async ({ params, request }) => {
      const body = (await request.json()) as { alias: string | null }
      const id = String(params.id)
      patches.push({ id, body })
      if (body.alias === 'taken') {
        return dashboardError(422, 'validation_error', 'Invalid request payload: alias: no')
      }
      list = list.map((a) => (a.accountId === id ? { ...a, alias: body.alias } : a))
      return HttpResponse.json({ accountId: id, routeOrder: null, alias: body.alias })
    }),
    http.post('*/api/accounts/:id/check', ({ params }) => {
      checks.push(String(params.id))
      return HttpResponse.json({
        accountId: String(params.id),
        ok: true,
        usage: {
          primaryUsedPercent: 37,
          primaryResetAt: RESET,
          secondaryUsedPercent: 12,
          secondaryResetAt: null,
        },
        status: 'active',
        tokenExpiresAt: RESET,
        checkedAt: new Date().toISOString(),
        ...check,
      })
    }),
  )
  return { patches, checks }
}

function rowFor(text: string): HTMLElement {
  const row = screen.getAllByTestId('account-row').find((r) => r.textContent?.includes(text))
  if (!row) throw new Error(`no row for ${text}`)
  return row
}

async function openMenuItem(user: ReturnType<typeof renderApp>['user'], row: string, item: RegExp) {
  await user.click(within(rowFor(row)).getByRole('button', { name: /Actions for/ }))
  await user.click(await screen.findByRole('menuitem', { name: item }))
  return within(await screen.findByRole('dialog'))
}

const alice = () => makeAccount({ accountId: 'acc_a', email: 'alice@example.com', alias: null })

describe('account display name', () => {
  it('renames from the menu; the row shows the alias; an empty name goes back to the email', async () => {
    const { patches } = serve([alice()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    const dialog = await openMenuItem(user, 'alice@example.com', /Rename/)
    await user.type(dialog.getByLabelText('Display name'), '  Team laptop ')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(patches).toEqual([{ id: 'acc_a', body: { alias: 'Team laptop' } }]))
    await waitFor(() => expect(rowFor('Team laptop').textContent).toContain('Team laptop'))
    expect(
      within(rowFor('Team laptop')).getByRole('button', { name: 'Actions for Team laptop' }),
    ).toBeTruthy()

    const again = await openMenuItem(user, 'Team laptop', /Rename/)
    const field = again.getByLabelText('Display name') as HTMLInputElement
    expect(field.value).toBe('Team laptop')
    await user.clear(field)
    await user.click(again.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(patches.at(-1)).toEqual({ id: 'acc_a', body: { alias: null } }))
    await waitFor(() =>
      expect(
        within(rowFor('alice@example.com')).getByRole('button', {
          name: 'Actions for alice@example.com',
        }),
      ).toBeTruthy(),
    )
  })

  it('refuses a name over 64 characters in place, and shows the server 422', async () => {
    const { patches } = serve([alice()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    const dialog = await openMenuItem(user, 'alice@example.com', /Rename/)
    const field = dialog.getByLabelText('Display name')
    await user.type(field, 'x'.repeat(65))
    expect(dialog.getByText('At most 64 characters')).toBeTruthy()
    expect((dialog.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true)
    await user.clear(field)
    await user.type(field, 'taken')
    await user.click(dialog.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText(/Invalid request payload: alias/)).toBeTruthy()
    expect(patches).toHaveLength(1)
  })
})

describe('check now', () => {
  it('fetches once and shows the windows, the status and the token expiry', async () => {
    const { checks } = serve([alice()])
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    const dialog = await openMenuItem(user, 'alice@example.com', /Check now/)
    expect(await dialog.findByText(/37% used, resets/)).toBeTruthy()
    expect(dialog.getByText('12% used')).toBeTruthy()
    expect(dialog.getByText('active')).toBeTruthy()
    expect(dialog.queryByRole('alert')).toBeNull()
    expect(checks).toEqual(['acc_a'])
  })

  it('shows an upstream failure with its code and message', async () => {
    serve([alice()], {
      ok: false,
      error: { code: 'usage_fetch_failed', message: 'HTTP 429: slow down please' },
    })
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    const dialog = await openMenuItem(user, 'alice@example.com', /Check now/)
    const alert = await dialog.findByRole('alert')
    expect(alert.textContent).toContain('usage_fetch_failed')
    expect(alert.textContent).toContain('HTTP 429: slow down please')
  })
})

describe('refresh token now', () => {
  it('says until when the new token is valid, or that a dead refresh token deactivated the account', async () => {
    serve([alice()])
    let answer: Record<string, unknown> = {
      accountId: 'acc_a',
      refreshed: true,
      status: 'active',
      tokenExpiresAt: RESET,
    }
    server.use(http.post('*/api/accounts/:id/refresh', () => HttpResponse.json(answer)))
    const { user } = renderApp('/accounts')
    await screen.findAllByTestId('account-row')
    const refresh = async () => {
      await user.click(within(rowFor('alice@example.com')).getByRole('button', { name: /Actions/ }))
      await user.click(await screen.findByRole('menuitem', { name: /Refresh token now/ }))
    }
    await refresh()
    expect(
      await screen.findByText(/Refreshed the token of alice@example.com, valid until/),
    ).toBeTruthy()

    answer = {
      accountId: 'acc_a',
      refreshed: false,
      status: 'deactivated',
      tokenExpiresAt: RESET,
      error: { code: 'refresh_token_expired', message: 'Refresh token expired', permanent: true },
    }
    await refresh()
    expect(
      await screen.findByText(
        'alice@example.com needs a new sign-in: Refresh token expired (account deactivated)',
      ),
    ).toBeTruthy()
  })
})
