import { screen } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

// A request an overflow upstream served names that upstream where an account would be shown.
const row = {
  requestedAt: '2026-12-05T10:00:00.000Z',
  accountId: null,
  requestId: 'req-1',
  model: 'gpt-5.5',
  status: 'ok',
  tokens: 150,
  costUsd: 0.00051,
  latencyMs: 120,
}

describe('request logs: overflow source', () => {
  it('shows the overflow upstream’s name, or that it was deleted', async () => {
    server.use(
      http.get('*/api/request-logs', () =>
        HttpResponse.json({
          requests: [
            { ...row, overflowUpstreamId: 'u1', overflowUpstreamName: 'openai-direct' },
            { ...row, requestId: 'req-2', overflowUpstreamId: 'u2', overflowUpstreamName: null },
          ],
          total: 2,
          hasMore: false,
        }),
      ),
    )
    renderApp('/logs')
    expect(await screen.findByText('openai-direct')).toBeTruthy()
    expect(screen.getByText('deleted upstream')).toBeTruthy()
    expect(screen.getAllByText(/overflow ·/)).toHaveLength(2)
  })
})
