import { screen } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { server } from '@/test/server'

const row = {
  requestedAt: '2026-12-05T10:00:00.000Z',
  accountId: null,
  model: 'gpt-5.5',
  status: 'ok',
  tokens: 150,
  costUsd: 0.00051,
  latencyMs: 120,
}

describe('request logs: client column', () => {
  it('shows the client address with its User-Agent on hover, and nothing on older rows', async () => {
    server.use(
      http.get('*/api/request-logs', () =>
        HttpResponse.json({
          requests: [
            { ...row, requestId: 'req-1', clientIp: '203.0.113.7', userAgent: 'OpenAI/JS 6.1.0' },
            { ...row, requestId: 'req-2', clientIp: null, userAgent: null },
          ],
          total: 2,
          hasMore: false,
        }),
      ),
    )
    renderApp('/logs')
    expect(await screen.findByRole('columnheader', { name: 'Client' })).toBeTruthy()
    const cells = await screen.findAllByTestId('request-log-client')
    expect(cells).toHaveLength(1)
    expect(cells[0]!.textContent).toBe('203.0.113.7')
    expect(cells[0]!.getAttribute('title')).toBe('User-Agent: OpenAI/JS 6.1.0')
  })
})
