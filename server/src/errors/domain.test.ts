import { describe, expect, it } from 'vitest'
import {
  DashboardAuthError,
  DashboardBadRequestError,
  DashboardConflictError,
  DashboardForbiddenError,
  DashboardNotFoundError,
  DashboardRateLimitError,
  ProxyAuthError,
  ProxyModelNotAllowed,
  ProxyRateLimitError,
} from './domain.js'
import { dashboardEnvelope } from './envelopes/dashboard.js'
import { openAiEnvelope } from './envelopes/openai.js'

describe('domain errors (seed 000 §1.1)', () => {
  it.each([
    [new ProxyAuthError('Invalid API key'), 401, 'invalid_api_key', 'authentication_error'],
    [new ProxyModelNotAllowed('gpt-x'), 403, 'model_not_allowed', 'permission_error'],
    [new ProxyRateLimitError('spent'), 429, 'rate_limit_exceeded', 'rate_limit_error'],
  ] as const)('%s → %d %s in the OpenAI envelope', (error, status, code, type) => {
    expect(error.status).toBe(status)
    expect(openAiEnvelope(error)).toEqual({ error: { message: error.message, type, code } })
  })

  it.each([
    [new DashboardAuthError(), 401, 'authentication_required'],
    [new DashboardAuthError('TOTP', 'totp_required'), 401, 'totp_required'],
    [new DashboardNotFoundError('gone'), 404, 'not_found'],
    [new DashboardConflictError('taken'), 409, 'conflict'],
    [new DashboardBadRequestError('bad'), 400, 'bad_request'],
    [new DashboardForbiddenError('cross', 'csrf_rejected'), 403, 'csrf_rejected'],
  ] as const)('%s → %d %s in the dashboard envelope', (error, status, code) => {
    expect(error.status).toBe(status)
    expect(dashboardEnvelope(error)).toEqual({ error: { code, message: error.message } })
  })

  it('dashboard rate limits carry Retry-After in whole seconds, at least 1', () => {
    const error = new DashboardRateLimitError(0.2, 'password_rate_limited')
    expect(error.status).toBe(429)
    expect(error.headers).toEqual({ 'retry-after': '1' })
    expect(new DashboardRateLimitError(41.5).headers['retry-after']).toBe('42')
    expect(error.message).toBe('Too many attempts. Try again in 1 seconds.')
  })
})
