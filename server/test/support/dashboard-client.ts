import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/lib/clock.js'
import type { dialects } from './dialects.js'
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js'

type Dialect = Awaited<ReturnType<typeof dialects>>[number]

/** startTestApp on the given dialect, with its own data dir (the SQLite file lives there). */
export async function startDialectApp(
  dialect: Dialect,
  options: Omit<TestAppOptions, 'database' | 'dataDir'> = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-test-'))
  const t = await startTestApp({ ...options, dataDir, database: await dialect.make(dataDir) })
  return {
    ...t,
    async close() {
      await t.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A clock the test moves by hand (TOTP steps, rate-limit windows, cache TTL, cookie expiry). */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(ms: number): void {
    this.current = ms
  }
}

export interface JsonResponse {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  body: any
  headers: Headers
  setCookies: string[]
}

const COOKIE_NAME = 'codex_lb_dashboard_session'

/**
 * Talks to /api over real HTTP and keeps the dashboard session cookie like a browser would (set on
 * Set-Cookie, dropped when the server clears it). `cookie` can be saved and restored to replay it.
 */
export class DashboardClient {
  cookie: string | undefined

  constructor(readonly baseUrl: string) {}

  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse> {
    const all: Record<string, string> = { ...headers }
    if (this.cookie !== undefined) all.cookie = `${COOKIE_NAME}=${this.cookie}`
    if (body !== undefined) all['content-type'] = 'application/json'
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const setCookies = res.headers.getSetCookie()
    this.#absorb(setCookies)
    const text = await res.text()
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
      setCookies,
    }
  }

  get(path: string, headers?: Record<string, string>) {
    return this.send('GET', path, undefined, headers)
  }
  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.send('POST', path, body, headers)
  }
  put(path: string, body?: unknown) {
    return this.send('PUT', path, body)
  }
  patch(path: string, body?: unknown) {
    return this.send('PATCH', path, body)
  }
  delete(path: string, body?: unknown) {
    return this.send('DELETE', path, body)
  }

  #absorb(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair] = line.split(';')
      if (!pair?.startsWith(`${COOKIE_NAME}=`)) continue
      const value = pair.slice(COOKIE_NAME.length + 1)
      const cleared =
        value === '' || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)
      this.cookie = cleared ? undefined : value
    }
  }
}
