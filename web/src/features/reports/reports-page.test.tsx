import type { KeyUsageHistory, Report } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeApiKey } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

const sums = (requests: number, costUsd: number) => ({
  requests,
  errors: 1,
  inputTokens: requests * 100,
  cachedInputTokens: 0,
  outputTokens: requests * 10,
  reasoningTokens: 0,
  costUsd,
})

const REPORT: Report = {
  bucket: 'day',
  groupBy: 'model',
  since: '2026-11-03T00:00:00.000Z',
  until: '2026-12-02T12:00:00.000Z',
  buckets: ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'],
  groups: [
    { key: 'gpt-5', label: 'gpt-5', deleted: false, ...sums(1200, 3.5) },
    { key: 'acc-x', label: 'Deleted account (acc-x)', deleted: true, ...sums(3, 0.25) },
  ],
  series: [
    { bucketStart: '2026-12-01T00:00:00.000Z', key: 'gpt-5', ...sums(1200, 3.5) },
    { bucketStart: '2026-12-02T00:00:00.000Z', key: 'acc-x', ...sums(3, 0.25) },
  ],
}

const HISTORY: KeyUsageHistory = {
  apiKeyId: 'key_1',
  name: 'laptop',
  since: REPORT.since,
  until: REPORT.until,
  limits: [
    {
      id: 1,
      limitType: 'total_tokens',
      limitWindow: 'daily',
      maxValue: 1000,
      modelFilter: null,
      periods: [
        { start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z', used: 1500 },
        { start: '2026-12-02T00:00:00.000Z', end: '2026-12-03T00:00:00.000Z', used: 10 },
      ],
    },
    {
      id: 2,
      limitType: 'cost_usd',
      limitWindow: 'weekly',
      maxValue: 5_000_000,
      modelFilter: 'o3',
      periods: [{ start: '2026-11-26T00:00:00.000Z', end: '2026-12-03T00:00:00.000Z', used: 1 }],
    },
  ],
}

/** The query string of every /api/reports call, in order. */
let asked: URLSearchParams[] = []
const last = () => asked.at(-1) ?? new URLSearchParams()
const utcDaysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

// The page's chunk pulls in the chart library; transforming it once up front keeps the first
// test's waits about the page, not the bundler.
beforeAll(async () => {
  await import('@/routes/reports')
}, 30_000)

beforeEach(() => {
  asked = []
  server.use(
    http.get('*/api/reports', ({ request }) => {
      asked.push(new URL(request.url).searchParams)
      return HttpResponse.json(REPORT)
    }),
  )
})

const exportUrl = () =>
  new URL(screen.getByRole('link', { name: /export csv/i }).getAttribute('href') ?? '')

describe('reports page', () => {
  it('is in the nav and shows each group’s totals and the sum of all', async () => {
    renderApp('/reports')
    const table = await screen.findByRole('table')
    const nav = screen.getByRole('link', { name: 'Reports' })
    expect(nav.getAttribute('href')).toBe('/reports')
    expect(nav.getAttribute('aria-current')).toBe('page')
    const rows = within(table).getAllByRole('row')
    expect(rows[1]?.textContent).toContain('gpt-5')
    expect(rows[1]?.textContent).toContain('1,200')
    expect(rows[1]?.textContent).toContain('$3.50')
    expect(rows[2]?.textContent).toContain('Deleted account (acc-x)')
    expect(rows.at(-1)?.textContent).toContain('Total')
    expect(rows.at(-1)?.textContent).toContain('1,203')
    expect(rows.at(-1)?.textContent).toContain('$3.75')
    // The default: the last 30 UTC days by day and model.
    expect(last().get('since')).toBe(utcDaysAgo(29))
    expect(last().has('until')).toBe(false)
    expect(last().get('bucket')).toBe('day')
    expect(last().get('groupBy')).toBe('model')
  })

  it('asks again when the bucket, grouping or range changes; the CSV link follows', async () => {
    const { user } = renderApp('/reports')
    await screen.findByRole('table')
    await user.selectOptions(screen.getByLabelText('Per'), 'week')
    await waitFor(() => expect(last().get('bucket')).toBe('week'))
    await user.selectOptions(screen.getByLabelText('Group by'), 'apiKey')
    await waitFor(() => expect(last().get('groupBy')).toBe('apiKey'))
    await user.selectOptions(screen.getByLabelText('Range'), '7d')
    await waitFor(() => expect(last().get('since')).toBe(utcDaysAgo(6)))

    const url = exportUrl()
    expect(url.pathname).toBe('/api/reports/export')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      since: utcDaysAgo(6),
      bucket: 'week',
      groupBy: 'apiKey',
    })
  })

  it('starts a custom range from the range shown', async () => {
    const { user } = renderApp('/reports?range=7d')
    await screen.findByRole('table')
    await user.selectOptions(screen.getByLabelText('Range'), 'custom')
    expect((screen.getByLabelText('From (UTC)') as HTMLInputElement).value).toBe(utcDaysAgo(6))
    expect((screen.getByLabelText('To (UTC)') as HTMLInputElement).value).toBe(utcDaysAgo(0))
    await waitFor(() => expect(last().get('until')).toBe(utcDaysAgo(0)))
  })

  it('takes a custom range of UTC dates, kept in the URL', async () => {
    const { user } = renderApp(
      '/reports?range=custom&since=2026-01-01&until=2026-03-31&bucket=month',
    )
    await screen.findByRole('table')
    expect(last().get('since')).toBe('2026-01-01')
    expect(last().get('until')).toBe('2026-03-31')
    expect(last().get('bucket')).toBe('month')
    const from = screen.getByLabelText('From (UTC)')
    await user.clear(from)
    await user.type(from, '2026-02-01')
    await waitFor(() => expect(last().get('since')).toBe('2026-02-01'))
    expect(window.location.search).toContain('since=2026-02-01')
    expect(exportUrl().searchParams.get('until')).toBe('2026-03-31')
  })

  it('says so when the range holds no requests', async () => {
    server.use(
      http.get('*/api/reports', () => HttpResponse.json({ ...REPORT, groups: [], series: [] })),
    )
    renderApp('/reports')
    expect(await screen.findByText('No requests in this range')).toBeTruthy()
  })

  it('shows a refused report as an error, not an empty one', async () => {
    server.use(
      http.get('*/api/reports', () =>
        dashboardError(
          422,
          'validation_error',
          'Invalid request payload: until: must not be before since',
        ),
      ),
    )
    renderApp('/reports?range=custom&since=2026-03-01&until=2026-02-01')
    expect(await screen.findByText('Could not load the report')).toBeTruthy()
    expect(screen.getByText(/until: must not be before since/)).toBeTruthy()
  })

  it('draws a chosen key’s usage per window against each of its limits', async () => {
    const historyAsked: URL[] = []
    server.use(
      http.get('*/api/api-keys/', () =>
        HttpResponse.json([makeApiKey(), makeApiKey({ id: 'key_2', name: 'ci' })]),
      ),
      http.get('*/api/api-keys/:id/usage-history', ({ request }) => {
        historyAsked.push(new URL(request.url))
        return HttpResponse.json(HISTORY)
      }),
    )
    const { user } = renderApp('/reports?range=90d')
    await screen.findByRole('table')
    expect(screen.getByText('No key chosen')).toBeTruthy()
    await user.selectOptions(await screen.findByLabelText('API key'), 'key_1')
    const charts = await screen.findAllByTestId('limit-history')
    expect(charts).toHaveLength(2)
    expect(charts[0]?.textContent).toContain('Daily tokens')
    expect(charts[0]?.textContent).toContain('limit 1K per window · over it in 1 window')
    expect(charts[1]?.textContent).toContain('Weekly cost · o3')
    expect(charts[1]?.textContent).toContain('limit $5.00 per window')
    expect(historyAsked[0]?.pathname).toBe('/api/api-keys/key_1/usage-history')
    expect(historyAsked[0]?.searchParams.get('since')).toBe(utcDaysAgo(89))
    expect(window.location.search).toContain('key=key_1')
  })
})
