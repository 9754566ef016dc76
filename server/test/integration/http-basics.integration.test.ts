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

    // Chosen by the scope the path falls in, not by its text: the bare prefixes and the rest of
    // /backend-api too, for any method.
    const dashboardPaths: Array<[string, string]> = [
      ['POST', '/api'],
      ['DELETE', '/api/dashboard-auth/nope'],
    ]
    for (const [method, path] of dashboardPaths) {
      const res = await fetch(`${t.url}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(await res.json()).toEqual({
        error: { code: 'not_found', message: expect.any(String) },
      })
    }
    const openAiPaths: Array<[string, string]> = [
      ['GET', '/backend-api/other'],
      ['POST', '/backend-api'],
      ['GET', '/v1'],
      ['GET', '/api/codex/nope'],
    ]
    for (const [method, path] of openAiPaths) {
      const res = await fetch(`${t.url}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(((await res.json()) as { error: unknown }).error).toEqual({
        message: expect.any(String),
        type: 'invalid_request_error',
        code: 'not_found',
      })
    }
  })

  it('a known path under another method is 405 with Allow, in the envelope of its scope', async () => {
    const dashboard: Array<[string, string, string]> = [
      ['DELETE', '/api/settings', 'GET, HEAD, PUT'],
      ['PUT', '/api/api-keys/', 'GET, HEAD, POST, PATCH, DELETE'],
      ['GET', '/api/api-keys/some-id', 'PATCH, DELETE'],
      ['GET', '/api/dashboard-auth/logout', 'POST'],
    ]
    for (const [method, path, allow] of dashboard) {
      const res = await fetch(`${t.url}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      expect(await res.json()).toEqual({
        error: { code: 'method_not_allowed', message: expect.stringContaining(method) },
      })
    }
    const openAi: Array<[string, string, string]> = [
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['GET', '/v1/chat/completions', 'POST'],
      ['GET', '/v1/responses/compact', 'POST'],
      ['POST', '/backend-api/codex/models', 'GET, HEAD'],
      ['POST', '/api/codex/usage', 'GET, HEAD'],
      ['POST', '/health', 'GET, HEAD'],
    ]
    for (const [method, path, allow] of openAi) {
      const res = await fetch(`${t.url}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      expect(((await res.json()) as { error: unknown }).error).toEqual({
        message: expect.stringContaining(method),
        type: 'invalid_request_error',
        code: 'method_not_allowed',
      })
    }
  })

  it('validation errors: 422 validation_error on /api, 400 invalid_request_error with param on /v1', async () => {
    const dashboard = await fetch(`${t.url}/api/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stickyThreadsEnabled: 'yes', preferEarlierResetAccounts: false }),
    })
    expect(dashboard.status).toBe(422)
    expect(await dashboard.json()).toEqual({
      error: { code: 'validation_error', message: expect.stringContaining('stickyThreadsEnabled') },
    })
    const malformed = await fetch(`${t.url}/api/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(malformed.status).toBe(422)
    expect(await malformed.json()).toEqual({
      error: { code: 'validation_error', message: 'Request body is not valid JSON' },
    })

    for (const surface of ['/v1', '/backend-api/codex']) {
      const proxy = await fetch(`${t.url}${surface}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'hi' }),
      })
      expect(proxy.status, surface).toBe(400)
      expect(((await proxy.json()) as { error: unknown }).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'model',
      })
    }
  })
})
