import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/test-app.js'

describe('http basics', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => t.close())

  it('GET /health answers ok', async () => {
    const res = await fetch(`${t.url}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('echoes x-request-id, or request-id, or generates one', async () => {
    const a = await fetch(`${t.url}/health`, { headers: { 'x-request-id': 'abc-123' } })
    expect(a.headers.get('x-request-id')).toBe('abc-123')
    const b = await fetch(`${t.url}/health`, { headers: { 'request-id': 'req-9' } })
    expect(b.headers.get('x-request-id')).toBe('req-9')
    const c = await fetch(`${t.url}/health`)
    expect(c.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('unknown routes answer 404 in the envelope of their scope', async () => {
    const api = await fetch(`${t.url}/api/nope`)
    expect(api.status).toBe(404)
    const apiBody = await api.json()
    expect(apiBody).toEqual({ error: { code: 'not_found', message: expect.any(String) } })

    const v1 = await fetch(`${t.url}/v1/nope`, { method: 'POST' })
    expect(v1.status).toBe(404)
    const v1Body = (await v1.json()) as { error: Record<string, unknown> }
    expect(v1Body.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' })
    expect(typeof v1Body.error.message).toBe('string')

    const codex = await fetch(`${t.url}/backend-api/codex/nope`)
    expect(codex.status).toBe(404)
    expect(((await codex.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })
})
