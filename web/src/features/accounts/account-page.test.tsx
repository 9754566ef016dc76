import type { AccountHistory } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

const alice = makeAccount({
  accountId: 'acc_a',
  email: 'alice@example.com',
  alias: 'Team laptop',
  displayName: 'Team laptop',
  workspaceId: 'ws-1234',
  status: 'rate_limited',
  deactivationReason: 'Usage limit reached until 14:00',
})

function history(range: AccountHistory['range']): AccountHistory {
  const until = Date.parse('2030-01-02T12:00:00Z')
  return {
    accountId: 'acc_a',
    range,
    since: new Date(until - 86_400_000).toISOString(),
    until: new Date(until).toISOString(),
    bucketMinutes: 5,
    windows: {
      primary: [{ at: new Date(until - 3_600_000).toISOString(), usedPercent: 42 }],
      secondary: [],
    },
    recentErrors: [
      {
        requestId: 'req_1',
        requestedAt: new Date(until - 60_000).toISOString(),
        endpoint: '/v1/responses',
        model: 'gpt-5.5',
        reasoningEffort: 'high',
        httpStatus: 429,
        errorCode: 'usage_limit_reached',
        errorMessage: 'The usage limit has been reached',
      },
    ],
    traffic:
      range === '24h'
        ? { requests: 25, tokens: 1_500, totalRequests: 100, totalTokens: 6_000 }
        : { requests: 300, tokens: 90_000, totalRequests: 400, totalTokens: 120_000 },
  }
}

function serve() {
  const ranges: string[] = []
  server.use(
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: [alice] })),
    http.get('*/api/accounts/:id/history', ({ params, request }) => {
      const range = new URL(request.url).searchParams.get('range') ?? '24h'
      ranges.push(`${String(params.id)}:${range}`)
      return HttpResponse.json(history(range as AccountHistory['range']))
    }),
  )
  return { ranges }
}

describe('account page', () => {
  it('opens from the accounts table and shows identity, windows, traffic share and last errors', async () => {
    const { ranges } = serve()
    const { user } = renderApp('/accounts')
    // The first render here transforms the accounts page chunk: allow it more than the default.
    const [row] = await screen.findAllByTestId('account-row', {}, { timeout: 15_000 })
    await user.click(within(row!).getByRole('link', { name: 'Team laptop' }))

    expect(await screen.findByRole('heading', { name: /Team laptop/ })).toBeTruthy()
    expect(window.location.pathname).toBe('/accounts/acc_a')
    expect(screen.getByText('alice@example.com')).toBeTruthy()
    expect(screen.getByText('ws-1234')).toBeTruthy()
    expect(screen.getByTestId('status-reason').textContent).toBe('Usage limit reached until 14:00')
    expect(await screen.findByTestId('window-history-chart')).toBeTruthy()

    const traffic = screen.getByTestId('traffic-share')
    expect(traffic.textContent).toContain('25 of 100 · 25%')
    expect(traffic.textContent).toContain('1.5K of 6K · 25%')
    const [error] = screen.getAllByTestId('account-error-row')
    expect(error?.textContent).toContain('gpt-5.5 · high')
    expect(error?.textContent).toContain('usage_limit_reached (429)')
    expect(error?.textContent).toContain('The usage limit has been reached')
    expect(ranges).toEqual(['acc_a:24h'])

    await user.click(screen.getByRole('tab', { name: '7 days' }))
    await waitFor(() =>
      expect(screen.getByTestId('traffic-share').textContent).toContain('300 of 400 · 75%'),
    )
    expect(ranges).toEqual(['acc_a:24h', 'acc_a:7d'])

    await user.click(screen.getByRole('link', { name: 'All accounts' }))
    await waitFor(() => expect(window.location.pathname).toBe('/accounts'))
  })

  it('offers the existing account actions', async () => {
    serve()
    const { user } = renderApp('/accounts/acc_a')
    await user.click(await screen.findByRole('button', { name: 'Actions for Team laptop' }))
    const menu = await screen.findByRole('menu')
    for (const item of [/Pause/, /Check now/, /Refresh token now/, /Rename/, /Delete/]) {
      expect(within(menu).getByRole('menuitem', { name: item })).toBeTruthy()
    }
  })

  it('says so when the account does not exist', async () => {
    serve()
    renderApp('/accounts/nobody')
    expect(await screen.findByText('Account not found')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'All accounts' })).toBeTruthy()
  })
})
