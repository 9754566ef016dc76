import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/test-app.js'

// What the server prints per request: one debug line (not Fastify's two info lines), and an
// expected refusal such as 503 no_accounts is a warning, never an error.

interface Line {
  level: number
  msg: string
  status?: number
  code?: string
}

const DEBUG = 20
const INFO = 30
const WARN = 40
const ERROR = 50

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

async function appLoggingAt(level: string): Promise<{ t: TestApp; lines: () => Line[] }> {
  const raw: string[] = []
  t = await startTestApp({
    env: { LOG_LEVEL: level },
    logStream: { write: (line) => void raw.push(line) },
  })
  return { t, lines: () => raw.map((l) => JSON.parse(l) as Line) }
}

async function postResponses(url: string): Promise<Response> {
  return fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
  })
}

describe('request logging', () => {
  it('logs 503 no_accounts as a warning, with one debug line for the request', async () => {
    const { t, lines } = await appLoggingAt('debug')
    const res = await postResponses(t.url)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_accounts')
    await new Promise((resolve) => setTimeout(resolve, 50))

    expect(lines().filter((l) => l.level >= ERROR)).toEqual([])
    expect(lines().filter((l) => l.level === WARN)).toEqual([
      expect.objectContaining({ code: 'no_accounts', status: 503 }),
    ])
    expect(lines().filter((l) => l.level === DEBUG && l.msg === 'POST /v1/responses')).toEqual([
      expect.objectContaining({ status: 503 }),
    ])
    expect(lines().map((l) => l.msg)).not.toContain('incoming request')
    expect(lines().map((l) => l.msg)).not.toContain('request completed')
  })

  it('prints nothing per request at the default level', async () => {
    const { t, lines } = await appLoggingAt('info')
    expect((await fetch(`${t.url}/health`)).status).toBe(200)
    expect((await fetch(`${t.url}/api/nope`)).status).toBe(404)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(
      lines().filter((l) => l.level <= INFO && /health|incoming|completed/.test(l.msg)),
    ).toEqual([])
    expect(lines().filter((l) => l.level >= WARN)).toEqual([])
  })

  it('leaves query strings out of the debug line', async () => {
    const { t, lines } = await appLoggingAt('debug')
    await fetch(`${t.url}/health?code=secret-oauth-code`)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const text = JSON.stringify(lines())
    expect(text).toContain('GET /health')
    expect(text).not.toContain('secret-oauth-code')
  })
})
