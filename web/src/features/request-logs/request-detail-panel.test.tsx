import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

// One request that failed over: account A answered 429, account B served it.
const base = {
  requestId: 'req-failover',
  model: 'gpt-5.5',
  reasoningEffort: 'high',
  endpoint: '/v1/responses',
  transport: 'http',
  apiKeyId: 'key-1',
  apiKeyName: 'CI key',
  clientIp: '203.0.113.7',
  userAgent: 'OpenAI/JS 6.1.0',
  overflowUpstreamId: null,
  overflowUpstreamName: null,
  accountDeleted: false,
}
const rateLimited = {
  ...base,
  id: 41,
  requestedAt: '2026-12-05T10:00:00.000Z',
  accountId: 'acc-a',
  accountEmail: 'a@example.com',
  accountAlias: 'Laptop A',
  status: 'rate_limit',
  httpStatus: 429,
  errorCode: 'rate_limit_exceeded',
  errorMessage: 'Rate limit reached',
  tokens: null,
  inputTokens: null,
  cachedInputTokens: null,
  outputTokens: null,
  reasoningTokens: null,
  costUsd: null,
  latencyMs: 85,
  ttfbMs: null,
  upstreamErrorBody:
    '{"error":{"code":"rate_limit_exceeded","message":"Rate limit reached","api_key":"[redacted]"}}',
}
const served = {
  ...base,
  id: 42,
  requestedAt: '2026-12-05T10:00:00.100Z',
  accountId: 'acc-b',
  accountEmail: 'b@example.com',
  accountAlias: null,
  status: 'ok',
  httpStatus: 200,
  errorCode: null,
  errorMessage: null,
  tokens: 1700,
  inputTokens: 1200,
  cachedInputTokens: 1000,
  outputTokens: 500,
  reasoningTokens: 320,
  costUsd: 0.0042,
  latencyMs: 2400,
  ttfbMs: 310,
  upstreamErrorBody: null,
}

/** `:id` also matches /options and /export: those fall through to the default handlers. */
const isRowId = (id: unknown) => typeof id === 'string' && /^\d+$/.test(id)

function useFailover(answer?: (id: string) => Response) {
  server.use(
    http.get('*/api/request-logs', () =>
      HttpResponse.json({ requests: [served, rateLimited], total: 2, hasMore: false }),
    ),
    http.get('*/api/request-logs/:id', ({ params }) => {
      const id = params['id']
      if (!isRowId(id)) return undefined
      if (answer) return answer(id as string)
      return HttpResponse.json({
        attempt: id === '41' ? rateLimited : served,
        chain: [rateLimited, served],
      })
    }),
  )
}

/** The page's rows; the first render of the app (lazy routes on a busy machine) can take seconds. */
const logRows = () => screen.findAllByTestId('request-log-row', undefined, { timeout: 5000 })

const field = (panel: HTMLElement, label: string) =>
  within(panel).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent

describe('request logs: detail panel', () => {
  it('opens on a row click with the failover chain, the clicked attempt highlighted', async () => {
    useFailover()
    const { user } = renderApp('/logs')
    const rows = await logRows()
    await user.click(rows[0]!)

    const panel = await screen.findByTestId('request-detail-panel')
    const chain = await within(panel).findAllByTestId('chain-attempt')
    expect(chain.map((c) => c.textContent)).toEqual([
      '1.Laptop A429 rate_limit_exceeded',
      '2.b@example.comserved',
    ])
    expect(chain[1]!.getAttribute('aria-current')).toBe('true')
    expect(chain[0]!.getAttribute('aria-current')).toBeNull()
    expect(field(panel, 'Account')).toBe('b@example.com')
    expect(field(panel, 'Status')).toContain('HTTP 200')
    expect(field(panel, 'API key')).toBe('CI key')
    expect(field(panel, 'Input tokens')).toBe('1,200')
    expect(field(panel, 'Reasoning tokens')).toBe('320')
    expect(field(panel, 'Time to first byte')).toBe('310 ms')
    expect(field(panel, 'User agent')).toBe('OpenAI/JS 6.1.0')
    expect(within(panel).queryByTestId('upstream-error-body')).toBeNull()
  })

  it('shows another attempt’s fields and its redacted error body when clicked in the chain', async () => {
    useFailover()
    const { user } = renderApp('/logs')
    await user.click((await logRows())[0]!)
    const panel = await screen.findByTestId('request-detail-panel')
    const chain = await within(panel).findAllByTestId('chain-attempt')
    await user.click(chain[0]!)

    expect(chain[0]!.getAttribute('aria-current')).toBe('true')
    expect(field(panel, 'Account')).toBe('Laptop Aa@example.com')
    expect(field(panel, 'Error')).toBe('rate_limit_exceededRate limit reached')
    const body = within(panel).getByTestId('upstream-error-body').textContent ?? ''
    // Pretty-printed JSON, as stored (secrets already removed by the server).
    expect(body).toContain('"code": "rate_limit_exceeded"')
    expect(body).toContain('"api_key": "[redacted]"')
  })

  it('opens with Enter on a focused row and closes with Esc', async () => {
    useFailover()
    const { user } = renderApp('/logs')
    const rows = await logRows()
    rows[1]!.focus()
    await user.keyboard('{Enter}')
    const panel = await screen.findByTestId('request-detail-panel')
    await within(panel).findAllByTestId('chain-attempt')
    expect(field(panel, 'Account')).toBe('Laptop Aa@example.com')
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByTestId('request-detail-panel')).toBeNull())
  })

  it('says the request is gone when the server answers 404', async () => {
    useFailover((id) => dashboardError(404, 'not_found', `Request log entry ${id} not found`))
    const { user } = renderApp('/logs')
    await user.click((await logRows())[0]!)
    const panel = await screen.findByTestId('request-detail-panel')
    expect((await within(panel).findByRole('alert')).textContent).toContain('no longer in the log')
  })
})
