import { readFileSync } from 'node:fs'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { usageLimitReached } from '../support/fake-upstream.js'
import { dialects } from '../support/dialects.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DIALECTS = await dialects()
const TOKEN = 'scrape-token-0123456789'

async function scrape(h: ProxyHarness, token: string | null = TOKEN) {
  const res = await fetch(`${h.t.url}/metrics`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  })
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

/** The value of one sample line, e.g. `codex_lb_failovers_total{reason="usage_limit"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return null
}

describe.each(DIALECTS)('GET /metrics ($name)', (dialect) => {
  let h: ProxyHarness | undefined
  afterEach(async () => h?.close())

  async function start(env: Record<string, string>) {
    const database = dialect.name === 'sqlite' ? {} : { database: await dialect.make('') }
    h = await startProxyHarness({ ...database, env })
    return h
  }

  it('is off unless enabled', async () => {
    const h = await start({})
    const res = await scrape(h)
    expect(res.text).not.toContain('codex_lb_requests_total')
  })

  it('serves every metric the shipped Grafana dashboard queries', async () => {
    const h = await start({ METRICS_ENABLED: 'true' })
    const dashboard = readFileSync('deploy/grafana/codex-lb-dashboard.json', 'utf8')
    const queried = new Set(
      [...dashboard.matchAll(/\b((?:codex_lb|process|nodejs)_[a-z0-9_]+)/g)].map((m) =>
        m[1]!.replace(/_(bucket|count|sum)$/, ''),
      ),
    )
    expect(queried.size).toBeGreaterThan(15)
    const { text } = await scrape(h)
    for (const name of queried) expect(text, name).toContain(`# HELP ${name} `)
  })

  it('asks for the bearer token when one is set', async () => {
    const h = await start({ METRICS_ENABLED: 'true', METRICS_TOKEN: TOKEN })
    expect((await scrape(h, null)).status).toBe(401)
    expect((await scrape(h, 'wrong-token-0123456789')).status).toBe(401)
    const ok = await scrape(h)
    expect(ok.status).toBe(200)
    expect(ok.type).toContain('text/plain; version=0.0.4')
    expect(ok.text).toContain('process_cpu_user_seconds_total')
  })

  it('counts attempts, failovers and latency, and shows each account by id only', async () => {
    const h = await start({ METRICS_ENABLED: 'true' })
    const key = await h.requireApiKey()
    const a = await h.addAccount({ email: 'first@example.com' })
    const b = await h.addAccount({ email: 'second@example.com' })
    h.fake.script(a, usageLimitReached({ resetsInSeconds: 1800 }))
    h.fake.script(b, { kind: 'ok', text: 'served by b' })
    const sdk = new OpenAI({ baseURL: `${h.t.url}/v1`, apiKey: key.key, maxRetries: 0 })
    for (let i = 0; i < 2; i++) {
      const res = await sdk.responses.create({ model: 'gpt-5.5', input: 'secret prompt text' })
      expect(res.output_text).toBe('served by b')
    }
    const rows = await h.logs()
    const { text, status } = await scrape(h, null)
    expect(status).toBe(200)
    const served = { route: '/v1/responses', status: 'success', api_key: key.id }
    expect(sample(text, 'codex_lb_requests_total', served)).toBe(2)
    const failed = rows.filter((r) => r['status'] === 'error').length
    expect(failed).toBeGreaterThan(0)
    expect(sample(text, 'codex_lb_requests_total', { status: 'error', code: '429' })).toBe(failed)
    expect(sample(text, 'codex_lb_failovers_total', { reason: 'usage_limit' })).toBe(failed)
    expect(sample(text, 'codex_lb_upstream_errors_total', { code: 'usage_limit_reached' })).toBe(
      failed,
    )
    expect(
      sample(text, 'codex_lb_request_duration_seconds_count', { route: '/v1/responses' }),
    ).toBe(rows.length)
    expect(
      sample(text, 'codex_lb_account_status', { account_id: a.id, status: 'rate_limited' }),
    ).toBe(1)
    expect(sample(text, 'codex_lb_account_status', { account_id: b.id, status: 'active' })).toBe(1)
    expect(sample(text, 'codex_lb_accounts', { status: 'active' })).toBe(1)
    expect(sample(text, 'codex_lb_inflight_streams')).toBe(0)
    expect(sample(text, 'codex_lb_request_log_pending')).toBe(0)
    if (dialect.name === 'postgres') {
      expect(sample(text, 'codex_lb_db_pool_connections', { state: 'total' })).toBeGreaterThan(0)
    }
    // Nothing a scrape may not carry: account emails, the key, the prompt.
    for (const secret of ['first@example.com', 'second@example.com', key.key, 'secret prompt']) {
      expect(text).not.toContain(secret)
    }
  })
})
