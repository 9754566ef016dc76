import { screen } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { accountsQuery } from '@/features/accounts/queries'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'
import { overviewQuery } from './queries'

const noTrend = { requests: [], tokens: [], cost: [], errorRate: [] }

describe('live overview', () => {
  it('shows how many requests are in flight right now', async () => {
    server.use(
      http.get('*/api/dashboard/overview', () =>
        HttpResponse.json({ accounts: [], summary: {}, trends: noTrend, inFlight: 3 }),
      ),
    )
    renderApp('/')
    const label = await screen.findByText('In flight now')
    const card = label.parentElement!
    expect(card.textContent).toContain('3')
    expect(card.textContent).toContain('requests streaming upstream')
  })

  it('leaves the card out when the server does not report it', async () => {
    server.use(
      http.get('*/api/dashboard/overview', () =>
        HttpResponse.json({ accounts: [], summary: {}, trends: noTrend }),
      ),
    )
    renderApp('/')
    expect(await screen.findByText('Requests · 7 days')).toBeTruthy()
    expect(screen.queryByText('In flight now')).toBeNull()
  })

  it('refetches the overview and the accounts every 5 s, only while the tab is visible', () => {
    for (const options of [overviewQuery(), accountsQuery()]) {
      expect(options.refetchInterval).toBe(5_000)
      expect(options.refetchIntervalInBackground).toBe(false)
    }
  })
})
