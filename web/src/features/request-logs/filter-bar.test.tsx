import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { emptyLogs, server } from '@/test/server'

const KEY = '0b6c1e0e-0000-4000-8000-00000000000a'

/** Serves the facets and records every list request's query string. */
function serveLogs() {
  const lists: URLSearchParams[] = []
  const options: URLSearchParams[] = []
  server.use(
    http.get('*/api/accounts', () =>
      HttpResponse.json({
        accounts: [
          makeAccount({ accountId: 'acc-a', email: 'alice@example.com', alias: 'Team laptop' }),
          makeAccount({ accountId: 'acc-b', email: 'bob@example.com' }),
        ],
      }),
    ),
    http.get('*/api/request-logs', ({ request }) => {
      lists.push(new URL(request.url).searchParams)
      return HttpResponse.json(emptyLogs)
    }),
    http.get('*/api/request-logs/options', ({ request }) => {
      options.push(new URL(request.url).searchParams)
      return HttpResponse.json({
        accountIds: ['acc-a', 'acc-b'],
        modelOptions: [
          { model: 'gpt-5.5', reasoningEffort: 'high' },
          { model: 'gpt-5.5', reasoningEffort: null },
        ],
        statuses: ['ok', 'error'],
        apiKeys: [{ id: KEY, name: 'CI' }],
        noApiKey: true,
      })
    }),
  )
  return { lists, options, lastList: () => lists.at(-1) ?? new URLSearchParams() }
}

const query = () => new URLSearchParams(window.location.search)
const chips = () =>
  within(screen.getByRole('group', { name: 'Active filters' }))
    .queryAllByRole('button', { name: /^Remove / })
    .map((b) => b.getAttribute('aria-label'))

// The page is a lazy chunk: transform it once up front, so no test's wait is spent compiling it.
beforeAll(() => import('@/routes/request-logs'), 60_000)

describe('request logs: filters', () => {
  it('opens a shared link with its filters applied, named by alias, key name and label', async () => {
    const { lastList } = serveLogs()
    renderApp(
      `/logs?accountId=acc-a&modelOption=gpt-5.5%3A%3A%3Ahigh&status=error&apiKeyId=${KEY}&apiKeyId=none`,
    )
    await waitFor(() => expect(chips()).toContain('Remove Account: Team laptop'))
    expect(chips()).toEqual([
      'Remove Account: Team laptop',
      'Remove Model: gpt-5.5 · high',
      'Remove Status: Error',
      'Remove API key: CI',
      'Remove API key: No key',
    ])
    await waitFor(() => expect(lastList().getAll('apiKeyId')).toEqual([KEY, 'none']))
    expect(lastList().getAll('accountId')).toEqual(['acc-a'])
    expect(lastList().getAll('modelOption')).toEqual(['gpt-5.5:::high'])
    expect(screen.getByRole('button', { name: 'API keys: 2 selected' })).toBeTruthy()
  })

  it('writes each choice to the URL as a history entry, so Back restores the previous filters', async () => {
    const { lastList } = serveLogs()
    const { user } = renderApp('/logs?status=error')
    await user.click(await screen.findByRole('button', { name: 'Accounts' }))
    await user.click(await screen.findByRole('checkbox', { name: 'Team laptop' }))
    await user.click(screen.getByRole('checkbox', { name: 'bob@example.com' }))
    await waitFor(() => expect(query().getAll('accountId')).toEqual(['acc-a', 'acc-b']))
    expect(query().getAll('status')).toEqual(['error'])
    await waitFor(() => expect(lastList().getAll('accountId')).toEqual(['acc-a', 'acc-b']))
    await user.keyboard('{Escape}')

    act(() => window.history.back())
    await waitFor(() => expect(query().getAll('accountId')).toEqual(['acc-a']))
    await waitFor(() =>
      expect(chips()).toEqual(['Remove Account: Team laptop', 'Remove Status: Error']),
    )
    act(() => window.history.back())
    await waitFor(() => expect(chips()).toEqual(['Remove Status: Error']))
    await waitFor(() => expect(lastList().getAll('accountId')).toEqual([]))

    // A chip removes its value; Clear all returns to the unfiltered default.
    await user.click(screen.getByRole('button', { name: 'Remove Status: Error' }))
    await waitFor(() => expect(window.location.search).toBe(''))
    expect(screen.queryByRole('group', { name: 'Active filters' })).toBeNull()
  })

  it('clears every filter at once, search included', async () => {
    serveLogs()
    const { user } = renderApp(`/logs?search=boom&timeframe=7d&apiKeyId=${KEY}&status=ok`)
    await user.click(await screen.findByRole('button', { name: 'Clear all' }))
    await waitFor(() => expect(window.location.search).toBe(''))
    expect(
      (screen.getByRole('textbox', { name: 'Search request logs' }) as HTMLInputElement).value,
    ).toBe('')
    expect(screen.getByRole('button', { name: 'Time range: Last 24 hours' })).toBeTruthy()
  })
})

describe('request logs: time range', () => {
  it('applies a preset, counting back from now', async () => {
    const { lastList } = serveLogs()
    const { user } = renderApp('/logs')
    await user.click(await screen.findByRole('button', { name: 'Time range: Last 24 hours' }))
    const before = Date.now()
    await user.click(await screen.findByRole('button', { name: 'Last 7 days' }))
    await waitFor(() => expect(query().get('timeframe')).toBe('7d'))
    await waitFor(() => expect(lastList().has('since')).toBe(true))
    const since = Date.parse(lastList().get('since') ?? '')
    expect(since).toBeGreaterThanOrEqual(before - 7 * 86_400_000 - 1000)
    expect(since).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000)
    expect(lastList().has('until')).toBe(false)
    expect(screen.getByRole('button', { name: 'Time range: Last 7 days' })).toBeTruthy()
  })

  it('sends a custom range typed in local time as UTC, to the list and the facets', async () => {
    const { lastList, options } = serveLogs()
    const { user } = renderApp('/logs')
    await user.click(await screen.findByRole('button', { name: 'Time range: Last 24 hours' }))
    fireEvent.change(await screen.findByLabelText('From'), {
      target: { value: '2026-12-01T09:30' },
    })
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-12-03T18:00' } })
    await user.click(screen.getByRole('button', { name: 'Apply range' }))

    const since = new Date(2026, 11, 1, 9, 30).toISOString()
    const until = new Date(2026, 11, 3, 18, 0).toISOString()
    await waitFor(() => expect(query().get('since')).toBe(since))
    expect(query().get('until')).toBe(until)
    await waitFor(() => expect(lastList().get('until')).toBe(until))
    expect(lastList().get('since')).toBe(since)
    await waitFor(() => expect(options.at(-1)?.get('until')).toBe(until))

    // Reopened, the inputs show the range in force in local time.
    await user.click(screen.getByRole('button', { name: /^Time range: / }))
    expect((await screen.findByLabelText<HTMLInputElement>('From')).value).toBe('2026-12-01T09:30')
    expect(screen.getByLabelText<HTMLInputElement>('To').value).toBe('2026-12-03T18:00')
  })

  it('refuses an end before the start in place, leaving the range as it was', async () => {
    serveLogs()
    const { user } = renderApp('/logs?timeframe=1h')
    await user.click(await screen.findByRole('button', { name: 'Time range: Last hour' }))
    fireEvent.change(await screen.findByLabelText('From'), {
      target: { value: '2026-12-03T09:30' },
    })
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-12-01T09:30' } })
    await user.click(screen.getByRole('button', { name: 'Apply range' }))
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The end must not be before the start.',
    )
    expect(window.location.search).toBe('?timeframe=1h')
  })
})
