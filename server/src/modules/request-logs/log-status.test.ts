import { describe, expect, it } from 'vitest'
import { logStatus, orderStatuses, statusFilter } from './log-status.js'
import { parseModelOption, requestLogsQuerySchema } from './schemas.js'
import { totalTokens } from './service.js'

describe('logStatus (original-admin §5.3)', () => {
  it.each([
    ['success', null, 'ok'],
    ['success', 'rate_limit_exceeded', 'ok'],
    ['error', 'rate_limit_exceeded', 'rate_limit'],
    ['error', 'usage_limit_reached', 'rate_limit'],
    ['error', 'insufficient_quota', 'quota'],
    ['error', 'usage_not_included', 'quota'],
    ['error', 'quota_exceeded', 'quota'],
    ['error', 'upstream_error', 'error'],
    ['error', null, 'error'],
  ] as const)('%s + %s → %s', (status, code, expected) => {
    expect(logStatus(status, code)).toBe(expected)
  })
})

describe('statusFilter', () => {
  it('keeps known buckets in canonical order; all or only unknown values mean no filter', () => {
    expect(statusFilter(['error', 'OK'])).toEqual(['ok', 'error'])
    expect(statusFilter(['ok', 'all'])).toEqual([])
    expect(statusFilter(['bogus'])).toEqual([])
    expect(statusFilter([])).toEqual([])
  })

  it('orders facets ok, rate_limit, quota, error without repeats', () => {
    expect(orderStatuses(['error', 'ok', 'error', 'quota'])).toEqual(['ok', 'quota', 'error'])
  })
})

describe('parseModelOption', () => {
  it('splits model:::effort; empty effort or no delimiter means no effort', () => {
    expect(parseModelOption('gpt-5.1:::high')).toEqual({
      model: 'gpt-5.1',
      reasoningEffort: 'high',
    })
    expect(parseModelOption('gpt-5.1:::')).toEqual({ model: 'gpt-5.1', reasoningEffort: null })
    expect(parseModelOption('gpt-5.1')).toEqual({ model: 'gpt-5.1', reasoningEffort: null })
  })
})

describe('requestLogsQuerySchema', () => {
  it('defaults to the first 50 rows without filters', () => {
    expect(requestLogsQuerySchema.parse({})).toEqual({
      limit: 50,
      offset: 0,
      filter: {
        search: null,
        accountIds: [],
        apiKeyIds: [],
        statuses: [],
        models: [],
        reasoningEfforts: [],
        modelOptions: [],
        since: null,
        until: null,
      },
    })
  })

  it('takes repeated parameters as lists and reads offset-less datetimes as UTC', () => {
    const q = requestLogsQuerySchema.parse({
      accountId: ['a', ' ', 'b'],
      status: 'quota',
      since: '2026-01-02T03:04:05',
      until: '2026-01-02T05:04:05+02:00',
      search: '  x ',
    })
    expect(q.filter).toMatchObject({
      accountIds: ['a', 'b'],
      statuses: ['quota'],
      since: Date.UTC(2026, 0, 2, 3, 4, 5),
      until: Date.UTC(2026, 0, 2, 3, 4, 5),
      search: 'x',
    })
  })
})

describe('totalTokens', () => {
  it('adds output, or reasoning tokens when output is unknown; null when nothing is known', () => {
    expect(totalTokens(10, 5, 3)).toBe(15)
    expect(totalTokens(10, null, 3)).toBe(13)
    expect(totalTokens(null, 4, null)).toBe(4)
    expect(totalTokens(null, null, null)).toBeNull()
  })
})
