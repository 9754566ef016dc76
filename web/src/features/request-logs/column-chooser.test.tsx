import { cleanup, screen, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'
import { COLUMNS_STORAGE_KEY } from './columns'

const row = {
  id: 1,
  requestedAt: '2026-12-05T10:00:00.000Z',
  accountId: null,
  requestId: 'req-1',
  model: 'gpt-5.5',
  status: 'ok',
  tokens: 150,
  costUsd: 0.00051,
  latencyMs: 120,
  clientIp: '203.0.113.7',
}

const headers = async () => {
  await screen.findAllByTestId('request-log-row')
  return screen.getAllByRole('columnheader').map((h) => h.textContent)
}

const ALL = ['Time', 'Account', 'Model', 'Status', 'Tokens', 'Cost', 'Latency', 'Client', 'Error']

// The page is a lazy chunk: transform it once up front, so no test's wait is spent compiling it.
beforeAll(() => import('@/routes/request-logs'), 60_000)

describe('request logs: column chooser', () => {
  beforeEach(() => {
    server.use(
      http.get('*/api/request-logs', () =>
        HttpResponse.json({ requests: [row], total: 1, hasMore: false }),
      ),
    )
  })

  it('hides a column, and remembers the choice when the page is opened again', async () => {
    const { user } = renderApp('/logs')
    expect(await headers()).toEqual(ALL)
    await user.click(screen.getByRole('button', { name: /Columns/ }))
    await user.click(await screen.findByRole('menuitemcheckbox', { name: 'Cost' }))
    // The menu stays open for the next tick.
    await user.click(screen.getByRole('menuitemcheckbox', { name: 'Client' }))
    await user.keyboard('{Escape}')
    await waitFor(async () =>
      expect(await headers()).toEqual(ALL.filter((h) => h !== 'Cost' && h !== 'Client')),
    )
    expect(screen.queryByText('203.0.113.7')).toBeNull()
    expect(JSON.parse(localStorage.getItem(COLUMNS_STORAGE_KEY) ?? '')).toEqual({
      hidden: ['cost', 'client'],
    })

    cleanup()
    renderApp('/logs')
    expect(await headers()).toEqual(ALL.filter((h) => h !== 'Cost' && h !== 'Client'))
  })

  it('ignores stored values it does not know, and resets to every column', async () => {
    localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify({ hidden: ['latency', 'bogus', 7] }))
    const { user } = renderApp('/logs')
    expect(await headers()).toEqual(ALL.filter((h) => h !== 'Latency'))
    await user.click(screen.getByRole('button', { name: /Columns/ }))
    await user.click(await screen.findByRole('menuitem', { name: 'Reset columns' }))
    await user.keyboard('{Escape}')
    await waitFor(async () => expect(await headers()).toEqual(ALL))
    expect(localStorage.getItem(COLUMNS_STORAGE_KEY)).toBeNull()
  })

  it('shows every column when the stored value is unreadable', async () => {
    localStorage.setItem(COLUMNS_STORAGE_KEY, '{not json')
    renderApp('/logs')
    expect(await headers()).toEqual(ALL)
  })
})
