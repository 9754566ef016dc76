import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/test-app.js'

// Smallest inputs of failures the fuzzer found, kept as plain examples.
describe('fuzz regressions', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => t.close())

  const get = async (path: string) => {
    const res = await fetch(`${t.url}${path}`)
    return { status: res.status, body: (await res.json()) as unknown }
  }

  // Found by proxy-routes: Fastify's router answered these in its own body
  // ({"error":"Bad Request","code":"FST_ERR_MAX_PARAM_LENGTH",…} with the whole path echoed).
  it('a path parameter past the router limit answers 414 in the scope’s envelope', async () => {
    const long = 'x'.repeat(101)
    expect(await get(`/v1/models/${long}`)).toEqual({
      status: 414,
      body: {
        error: {
          message: 'A path parameter is too long',
          type: 'invalid_request_error',
          code: 'uri_too_long',
        },
      },
    })
    expect(await get(`/api/accounts/${long}/trends`)).toEqual({
      status: 414,
      body: { error: { code: 'uri_too_long', message: 'A path parameter is too long' } },
    })
  })

  it('a malformed escape in a path parameter answers 400 in the scope’s envelope', async () => {
    expect(await get('/backend-api/codex/models/%ff')).toEqual({
      status: 400,
      body: {
        error: {
          message: 'The URL is not valid',
          type: 'invalid_request_error',
          code: 'invalid_url',
        },
      },
    })
    expect(await get('/api/request-logs/%zz')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_url', message: 'The URL is not valid' } },
    })
  })
})
