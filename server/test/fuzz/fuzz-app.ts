import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect } from 'vitest'
import { DashboardClient } from '../support/dashboard-client.js'
import type { FakeAccount } from '../support/fake-upstream.js'
import { fuzzParams, SOAK } from '../support/fuzz.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import type { Tally } from './check.js'
import { send, violations } from './check.js'
import {
  fixedRequests,
  hostileRequest,
  type Credentials,
  type HostileRequest,
} from './hostile-requests.js'
import { ROUTE_TABLE, type Scope } from './routes.js'

/** Per-test limit: a fuzzed route takes seconds; SOAK=1 (50× the cases) takes minutes. */
export const FUZZ_TEST_TIMEOUT_MS = SOAK ? 60 * 60_000 : 120_000

export const PASSWORD = 'fuzz dashboard password 7f3a'
export const METRICS_TOKEN = 'fuzz-metrics-token-5d1e9c'

/**
 * The real server against a working fake upstream, with every secret planted: an account (its
 * tokens), the dashboard password and a logged-in session, an API key (required on the proxy), a
 * metrics token, and a built dashboard to serve. Logs go to `lines` for the secret check.
 */
export interface FuzzApp {
  h: ProxyHarness
  url: string
  account: FakeAccount & { id: string }
  apiKey: { id: string; key: string }
  session: string
  overflowId: string
  lines: string[]
  /** Every secret the app holds, as of now (a refresh rotates the account's tokens). */
  secrets(): string[]
  credentials(scope: Scope): Credentials
  close(): Promise<void>
}

function builtDashboard(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-fuzz-web-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>codex-lb</title>')
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  return dir
}

export async function startFuzzApp(): Promise<FuzzApp> {
  const web = builtDashboard()
  const lines: string[] = []
  const h = await startProxyHarness({
    env: {
      METRICS_ENABLED: 'true',
      METRICS_TOKEN,
      STATIC_DIR: web,
      LOG_LEVEL: 'info',
      WEBSOCKET_MAX_FRAME_BYTES: '262144',
      OAUTH_CALLBACK_PORT: '0',
    },
    logStream: { write: (line) => void lines.push(line) },
  })
  const account = await h.addAccount({ email: 'fuzz@example.com' })
  // A device sign-in the fuzzer starts stays pending (and polls rarely) instead of failing upstream.
  h.fake.scriptDevice({ account, intervalSeconds: 600, pendingPolls: 1_000_000 })
  const api = new DashboardClient(h.t.url)
  expect(
    (await api.post('/api/dashboard-auth/password/setup', { password: PASSWORD })).status,
  ).toBe(200)
  expect(
    (await api.post('/api/dashboard-auth/password/login', { password: PASSWORD })).status,
  ).toBe(200)
  const session = api.cookie ?? ''
  const apiKey = (await api.post('/api/api-keys/', { name: 'fuzz key' })).body as {
    id: string
    key: string
  }
  const overflow = await api.post('/api/overflow-upstreams/', {
    name: 'planted',
    baseUrl: h.fake.backendBaseUrl,
    apiKey: 'sk-overflow-planted-secret-91c2',
    models: [{ model: 'gpt-5.5' }],
  })
  expect(overflow.status, JSON.stringify(overflow.body)).toBe(201)
  const settings = await api.put('/api/settings', {
    stickyThreadsEnabled: true,
    preferEarlierResetAccounts: false,
    apiKeyAuthEnabled: true,
  })
  expect(settings.status).toBe(200)
  const overflowId = overflow.body.id as string
  const issued = new Set([account.accessToken, account.refreshToken, account.idToken])
  return {
    h,
    url: h.t.url,
    account,
    apiKey,
    session,
    overflowId,
    lines,
    secrets() {
      const now = h.fake.tokens(account)
      for (const t of [now.accessToken, now.refreshToken, now.idToken]) issued.add(t)
      return [
        PASSWORD,
        apiKey.key,
        session,
        METRICS_TOKEN,
        'sk-overflow-planted-secret-91c2',
        ...issued,
      ]
    },
    credentials(scope) {
      const cookie = { cookie: `codex_lb_dashboard_session=${session}` }
      switch (scope) {
        case 'proxy':
          return { valid: [{ authorization: `Bearer ${apiKey.key}` }], ids: ['gpt-5.5'] }
        case 'codex-usage': {
          const bearer = `Bearer ${h.fake.tokens(account).accessToken}`
          return {
            valid: [{ authorization: bearer, 'chatgpt-account-id': account.chatgptAccountId }],
            ids: [],
          }
        }
        case 'root':
          return { valid: [{ authorization: `Bearer ${METRICS_TOKEN}` }, {}], ids: [] }
        case 'dashboard-auth':
          return { valid: [cookie], ids: [] }
        case 'dashboard':
          return {
            valid: [cookie],
            ids: [account.id, apiKey.id, overflowId, '1'],
            authJson: h.fake.tokens(account).authJson as unknown as Record<string, unknown>,
          }
      }
    },
    async close() {
      await h.close()
      rmSync(web, { recursive: true, force: true })
    },
  }
}

/** The routes of `scope` in the table, DELETEs then logout last (they remove what others use). */
export function tableRoutes(scope: Scope): string[] {
  const weight = (route: string) =>
    route.endsWith('/logout') ? 2 : route.startsWith('DELETE') ? 1 : 0
  return Object.keys(ROUTE_TABLE)
    .filter((route) => ROUTE_TABLE[route]?.scope === scope)
    .sort((a, b) => weight(a) - weight(b) || a.localeCompare(b))
}

/** A seed per route (from the shared one), so routes do not all see the same sequence of cases. */
function seedFor(route: string, seed: number): number {
  let hash = seed
  for (const char of route) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0
  return hash
}

/** FUZZ_DEBUG=1 prints every request and answer (the report shows only the shrunk failure). */
const debug =
  process.env['FUZZ_DEBUG'] === '1'
    ? (...parts: unknown[]) => console.log(...parts)
    : () => undefined

/** Fuzzes one route: every answer must hold the invariants (check.ts); the tally records reach. */
export async function fuzzRoute(app: FuzzApp, route: string, runs: number, tally: Tally) {
  const scope = ROUTE_TABLE[route]?.scope ?? 'root'
  const creds = app.credentials(scope)
  const params = fuzzParams(runs)
  // fast-check counts examples among numRuns: `runs` stays the number of random cases.
  const examples = fixedRequests(route, creds).map((req) => [req] as [HostileRequest])
  await fc.assert(
    fc.asyncProperty(hostileRequest(route, creds), async (req) => {
      const started = Date.now()
      debug(
        '>>',
        req.method,
        req.target.slice(0, 100),
        JSON.stringify(req.headers).slice(0, 300),
        req.body?.describe,
      )
      const answer = await send(app.url, req)
      debug('<<', answer.status, Date.now() - started, answer.text.slice(0, 200))
      tally.note(route, answer)
      const problems = violations(req, answer, app.secrets())
      if (problems.length > 0)
        throw new Error(`${req.method} ${req.target.slice(0, 200)}: ${problems.join('; ')}`)
    }),
    {
      ...params,
      numRuns: params.numRuns + examples.length,
      seed: seedFor(route, params.seed),
      examples,
      includeErrorInReport: true,
    },
  )
}

/** After a scope's routes: the process still serves, and no log line holds a secret. */
export async function expectHealthyAndQuiet(app: FuzzApp): Promise<void> {
  expect((await fetch(`${app.url}/health/live`)).status).toBe(200)
  await app.h.t.app.services.logWriter.flush()
  const text = app.lines.join('')
  for (const secret of app.secrets())
    expect(text.includes(secret), `log holds ${secret.slice(0, 6)}…`).toBe(false)
}
