import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'

const exportLink = async () => {
  const link = await screen.findByRole('link', { name: /export csv/i })
  return new URL(link.getAttribute('href') ?? '')
}

describe('request logs: Export CSV', () => {
  it('downloads the whole filtered set: the page’s filters, not its paging', async () => {
    const before = Date.now()
    const { user } = renderApp(
      '/logs?search=boom&timeframe=7d&accountId=acc-a&status=error&modelOption=gpt-5%3A%3A%3Ahigh&limit=50&offset=50',
    )
    const url = await exportLink()
    expect(url.pathname).toBe('/api/request-logs/export')
    expect(url.searchParams.get('search')).toBe('boom')
    expect(url.searchParams.getAll('accountId')).toEqual(['acc-a'])
    expect(url.searchParams.getAll('status')).toEqual(['error'])
    expect(url.searchParams.getAll('modelOption')).toEqual(['gpt-5:::high'])
    const since = Date.parse(url.searchParams.get('since') ?? '')
    expect(since).toBeGreaterThanOrEqual(before - 7 * 86_400_000 - 1000)
    expect(since).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000)
    expect(url.searchParams.has('limit')).toBe(false)
    expect(url.searchParams.has('offset')).toBe(false)

    // A filter changed on the page is in the next download.
    await user.click(screen.getByRole('button', { name: 'Statuses: 1 selected' }))
    await user.click(await screen.findByRole('checkbox', { name: 'OK' }))
    expect((await exportLink()).searchParams.getAll('status')).toEqual(['error', 'ok'])
  })

  it('carries a custom range and the API key filter', async () => {
    renderApp(
      '/logs?since=2026-12-01T08:00:00.000Z&until=2026-12-02T08:00:00.000Z&apiKeyId=k1&apiKeyId=none',
    )
    const url = await exportLink()
    expect(url.searchParams.get('since')).toBe('2026-12-01T08:00:00.000Z')
    expect(url.searchParams.get('until')).toBe('2026-12-02T08:00:00.000Z')
    expect(url.searchParams.getAll('apiKeyId')).toEqual(['k1', 'none'])
  })

  it('exports everything when nothing is filtered and the timeframe is all time', async () => {
    renderApp('/logs?timeframe=all')
    expect((await exportLink()).search).toBe('')
  })
})
