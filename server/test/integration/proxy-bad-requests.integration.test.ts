import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

/** What the backend answers a model it does not serve: a 400 with FastAPI's `detail`, no code. */
const UNKNOWN_MODEL = {
  kind: 'http-error' as const,
  status: 400,
  body: {
    detail: "The 'gpt-nope' model is not supported when using Codex with a ChatGPT account.",
  },
}

const CHALLENGE_PAGE = `<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body>Enable JavaScript and cookies to continue</body></html>`

async function post(h: ProxyHarness, path: string, body: Record<string, unknown>) {
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

const accountRows = (h: ProxyHarness) =>
  h.t.database.db.selectFrom('accounts').selectAll().orderBy('email').execute()

const upstreamCalls = (h: ProxyHarness) => h.fake.requestsTo('/backend-api/codex/responses').length

describe('proxy: one client’s bad request leaves the pool alone', () => {
  let h: ProxyHarness
  beforeEach(async () => {
    h = await startProxyHarness()
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      await h.addAccount({ email })
    }
  })
  afterEach(async () => h.close())

  it('answers each of a burst of unknown-model requests 400 once, and keeps serving the rest', async () => {
    h.fake.scriptDefault(UNKNOWN_MODEL)
    const paths = ['/v1/responses', '/backend-api/codex/responses', '/v1/chat/completions']
    const burst = Array.from({ length: 12 }, (_, i) => {
      const path = paths[i % paths.length]!
      const body =
        path === '/v1/chat/completions'
          ? { model: 'gpt-nope', messages: [{ role: 'user', content: 'hi' }] }
          : { model: 'gpt-nope', input: 'hi', stream: i % 2 === 0 }
      return post(h, path, body)
    })
    const answers = await Promise.all(burst)
    for (const res of answers) {
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        error: {
          message: "The 'gpt-nope' model is not supported when using Codex with a ChatGPT account.",
          type: 'invalid_request_error',
          code: 'invalid_request_error',
        },
      })
    }
    // One upstream call and one error row per request: no other account was tried.
    expect(upstreamCalls(h)).toBe(12)
    const rows = await h.logs()
    expect(rows).toHaveLength(12)
    expect(rows.every((r) => r['http_status'] === 400)).toBe(true)

    // No account was marked: all active, none cooling down, no error streak.
    for (const row of await accountRows(h)) {
      expect(row).toMatchObject({ status: 'active', cooldown_until: null, error_count: 0 })
    }
    h.fake.scriptDefault({ kind: 'ok', text: 'still serving' })
    for (let i = 0; i < 6; i++) {
      const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(res.output_text).toBe('still serving')
    }
  })

  it('cools an account down briefly on a 403 challenge page, without deactivating it', async () => {
    const [a] = h.fake.accounts()
    h.fake.script(a!, {
      kind: 'raw',
      status: 403,
      headers: { 'content-type': 'text/html' },
      chunks: [CHALLENGE_PAGE],
    })
    for (let i = 0; i < 3; i++) {
      const res = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      expect(res.output_text).toBe('Hi from fake upstream!')
    }
    const rowA = (await accountRows(h))[0]!
    expect(rowA.status).toBe('active')
    expect(rowA.cooldown_until).toBeGreaterThan(Date.now())
    expect(rowA.cooldown_until).toBeLessThan(Date.now() + 61_000)
    const error = (await h.logs()).find((r) => r['http_status'] === 403)
    expect(error).toMatchObject({
      error_code: 'forbidden',
      error_message: 'Upstream answered HTTP 403 with an HTML page instead of an API response',
    })
  })

  it('deactivates on a 403 only when it carries an account-level code', async () => {
    const [a, b] = h.fake.accounts()
    h.fake.script(a!, {
      kind: 'http-error',
      status: 403,
      body: { error: { code: 'unsupported_country_region_territory', message: 'Not here' } },
    })
    h.fake.script(b!, {
      kind: 'http-error',
      status: 403,
      body: { error: { code: 'account_deactivated', message: 'Deactivated' } },
    })
    for (let i = 0; i < 3; i++) {
      expect((await post(h, '/v1/responses', { model: 'gpt-5.5', input: 'x' })).status).toBe(200)
    }
    const [rowA, rowB, rowC] = await accountRows(h)
    expect(rowA).toMatchObject({ status: 'active' })
    expect(rowA!.cooldown_until).toBeGreaterThan(Date.now())
    expect(rowB).toMatchObject({
      status: 'deactivated',
      deactivation_reason: 'Account has been deactivated',
    })
    expect(rowC).toMatchObject({ status: 'active', cooldown_until: null })
  })
})
