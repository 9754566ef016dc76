import { describe, expect, it } from 'vitest'
import { failureFromBody, networkFailure, type FailureKind } from './failure.js'

const NOW = 1_800_000_000_000

const json = (v: unknown) => JSON.stringify(v)
const CHALLENGE = `<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title></head>
<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>`

describe('failureFromBody: what an upstream error answer means for the account', () => {
  it.each<[string, number, string, FailureKind, string, string]>([
    // The client's own request: relayed once, no account marked.
    [
      'unknown model, {"detail"} without a code',
      400,
      json({
        detail: "The 'gpt-nope' model is not supported when using Codex with a ChatGPT account.",
      }),
      'client',
      'invalid_request_error',
      "The 'gpt-nope' model is not supported when using Codex with a ChatGPT account.",
    ],
    [
      'a request-shaped code',
      400,
      json({
        error: {
          message: 'Invalid value for input',
          type: 'invalid_request_error',
          code: 'invalid_value',
        },
      }),
      'client',
      'invalid_value',
      'Invalid value for input',
    ],
    [
      'FastAPI validation detail list',
      422,
      json({ detail: [{ loc: ['body', 'input'], msg: 'field required', type: 'missing' }] }),
      'client',
      'invalid_request_error',
      'field required',
    ],
    [
      'a 400 saying upstream_error is still the request',
      400,
      json({ error: { code: 'upstream_error', message: 'bad' } }),
      'client',
      'upstream_error',
      'bad',
    ],
    [
      'a 404 without a body',
      404,
      '',
      'client',
      'invalid_request_error',
      'Upstream error: HTTP 404',
    ],
    [
      'a 413 in plain text',
      413,
      'Request Entity Too Large',
      'client',
      'invalid_request_error',
      'Request Entity Too Large',
    ],
    // 403: only an account-level code deactivates; anything else cools down briefly.
    [
      'a 403 with an account-level code',
      403,
      json({ error: { code: 'account_deactivated', message: 'This account was deactivated' } }),
      'auth_permanent',
      'account_deactivated',
      'This account was deactivated',
    ],
    [
      'a 403 challenge page',
      403,
      CHALLENGE,
      'transient',
      'forbidden',
      'Upstream answered HTTP 403 with an HTML page instead of an API response',
    ],
    [
      'a 403 JSON without a known code',
      403,
      json({ error: { code: 'unsupported_country_region_territory', message: 'Not here' } }),
      'transient',
      'unsupported_country_region_territory',
      'Not here',
    ],
    ['a 403 with an empty body', 403, '', 'transient', 'forbidden', 'Upstream error: HTTP 403'],
    // Account-level statuses and codes.
    [
      'usage limit',
      429,
      json({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached' } }),
      'usage_limit',
      'usage_limit_reached',
      'The usage limit has been reached',
    ],
    ['a bare 429', 429, '', 'throttled', 'rate_limit_exceeded', 'Upstream error: HTTP 429'],
    [
      'a 401 with {"detail"}',
      401,
      json({ detail: 'Unauthorized' }),
      'unauthorized',
      'invalid_api_key',
      'Unauthorized',
    ],
    ['a bare 402', 402, '', 'quota', 'payment_required', 'Upstream error: HTTP 402'],
    [
      'a 400 carrying a quota code',
      400,
      json({ error: { code: 'usage_not_included', message: 'Not in your plan' } }),
      'quota',
      'usage_not_included',
      'Not in your plan',
    ],
    // The upstream's own trouble.
    [
      'a 500 with a code',
      500,
      json({ error: { code: 'server_error', message: 'boom' } }),
      'transient',
      'server_error',
      'boom',
    ],
    [
      'a 502 gateway HTML page',
      502,
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'transient',
      'upstream_error',
      'Upstream answered HTTP 502 with an HTML page instead of an API response',
    ],
    [
      'a 503 with an empty body',
      503,
      '',
      'transient',
      'upstream_error',
      'Upstream error: HTTP 503',
    ],
    [
      'a 408',
      408,
      json({ detail: 'Request timeout' }),
      'transient',
      'upstream_error',
      'Request timeout',
    ],
  ])('%s (HTTP %i) → %s', (_name, status, body, kind, code, message) => {
    const f = failureFromBody(status, body, {}, NOW)
    expect({ kind: f.kind, code: f.code, message: f.message }).toEqual({ kind, code, message })
  })

  it('reads when to come back from the body or the headers', () => {
    const limited = failureFromBody(
      429,
      json({ error: { type: 'usage_limit_reached', resets_in_seconds: 90, plan_type: 'plus' } }),
      {},
      NOW,
    )
    expect(limited.resetAt).toBe(NOW + 90_000)
    expect(failureFromBody(429, '', { 'retry-after': '7' }, NOW).retryAfterSeconds).toBe(7)
  })
})

describe('networkFailure', () => {
  it('keeps the socket error for the log and gives the client a generic message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:45123'), {
      code: 'ECONNREFUSED',
    })
    const f = networkFailure(refused, NOW)
    expect(f).toMatchObject({
      kind: 'transient',
      code: 'upstream_unavailable',
      message: 'The upstream is unavailable',
      detail: 'connect ECONNREFUSED 127.0.0.1:45123',
    })
    const timeout = Object.assign(new Error('Headers Timeout Error'), {
      code: 'UND_ERR_HEADERS_TIMEOUT',
    })
    expect(networkFailure(timeout, NOW)).toMatchObject({
      kind: 'transient',
      code: 'upstream_timeout',
    })
  })
})
