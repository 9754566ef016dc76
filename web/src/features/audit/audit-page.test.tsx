import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

const entry = (over: Record<string, unknown>) => ({
  id: 1,
  occurredAt: '2026-12-05T10:00:00.000Z',
  action: 'settings.updated',
  outcome: 'success',
  targetType: null,
  targetId: null,
  clientIp: '127.0.0.1',
  userAgent: 'Mozilla/5.0',
  details: null,
  ...over,
})

describe('audit log page', () => {
  it('lists entries in words with outcome, client and a short details line', async () => {
    server.use(
      http.get('*/api/audit/options', () =>
        HttpResponse.json({ actions: ['auth.login', 'settings.updated'] }),
      ),
      http.get('*/api/audit', () =>
        HttpResponse.json({
          entries: [
            entry({
              id: 2,
              details: { routingStrategy: { from: 'fill_first', to: 'round_robin' } },
            }),
            entry({
              id: 1,
              action: 'auth.login',
              outcome: 'failure',
              targetType: 'dashboard',
              clientIp: '203.0.113.9',
              details: { step: 'password', reason: 'bad_password' },
            }),
          ],
          total: 2,
          hasMore: false,
        }),
      ),
    )
    renderApp('/audit')
    expect(await screen.findByRole('heading', { name: 'Audit log' })).toBeTruthy()
    const rows = await screen.findAllByTestId('audit-row')
    expect(rows).toHaveLength(2)
    const first = within(rows[0]!)
    expect(first.getByText('Settings changed')).toBeTruthy()
    expect(first.getByText('Success')).toBeTruthy()
    expect(first.getByText('routingStrategy: fill_first → round_robin')).toBeTruthy()
    const second = within(rows[1]!)
    expect(second.getByText('Signed in')).toBeTruthy()
    expect(second.getByText('Failed')).toBeTruthy()
    expect(second.getByText('203.0.113.9')).toBeTruthy()
    expect(second.getByText('step: password · reason: bad_password')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Audit log' }).getAttribute('aria-current')).toBe(
      'page',
    )
  })

  it('sends the chosen filters, pages, and says when nothing matches', async () => {
    const seen: URLSearchParams[] = []
    server.use(
      http.get('*/api/audit/options', () => HttpResponse.json({ actions: ['auth.login'] })),
      http.get('*/api/audit', ({ request }) => {
        const query = new URL(request.url).searchParams
        seen.push(query)
        if (query.get('outcome') === 'failure') {
          return HttpResponse.json({ entries: [], total: 0, hasMore: false })
        }
        const offset = Number(query.get('offset'))
        return HttpResponse.json({
          entries: [entry({ id: 100 - offset })],
          total: 120,
          hasMore: offset + 50 < 120,
        })
      }),
    )
    const { user } = renderApp('/audit')
    expect(await screen.findByText('1–1 of 120')).toBeTruthy()
    expect(seen[0]!.get('since')).not.toBeNull()

    await user.click(screen.getByRole('button', { name: 'Next page' }))
    await waitFor(() => expect(seen.at(-1)!.get('offset')).toBe('50'))

    await user.click(screen.getByRole('button', { name: 'Actions' }))
    await user.click(await screen.findByRole('checkbox', { name: /Signed in/ }))
    await waitFor(() => expect(seen.at(-1)!.getAll('action')).toEqual(['auth.login']))
    expect(seen.at(-1)!.get('offset')).toBe('0')

    await user.keyboard('{Escape}')
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'failure')
    expect(await screen.findByText('No entries match these filters')).toBeTruthy()
    expect(seen.at(-1)!.get('outcome')).toBe('failure')
  })

  it('shows an empty log as such', async () => {
    server.use(
      http.get('*/api/audit/options', () => HttpResponse.json({ actions: [] })),
      http.get('*/api/audit', () => HttpResponse.json({ entries: [], total: 0, hasMore: false })),
    )
    const { user } = renderApp('/audit')
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Time range' }), 'all')
    expect(await screen.findByText('Nothing recorded yet')).toBeTruthy()
  })
})
