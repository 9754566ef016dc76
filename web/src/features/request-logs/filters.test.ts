import { describe, expect, it } from 'vitest'
import { DEFAULT_FILTERS, parseFilters, serializeFilters, sinceFor } from './filters'

describe('request log filters in the URL', () => {
  it('round-trips every filter, repeating multi-value parameters', () => {
    const filters = {
      search: 'timeout',
      timeframe: '7d' as const,
      accountIds: ['a1', 'a2'],
      statuses: ['rate_limit', 'error'],
      modelOptions: ['gpt-5.5:::high'],
      limit: 50,
      offset: 100,
    }
    const qs = serializeFilters(filters)
    expect(qs).toContain('accountId=a1&accountId=a2')
    expect(parseFilters(qs)).toEqual(filters)
  })

  it('keeps defaults out of the URL and ignores junk values', () => {
    expect(serializeFilters(DEFAULT_FILTERS)).toBe('')
    expect(parseFilters('?timeframe=forever&limit=7&offset=-5')).toEqual(DEFAULT_FILTERS)
  })

  it('turns a timeframe into a since timestamp', () => {
    const now = Date.parse('2026-01-02T00:00:00Z')
    expect(sinceFor('24h', now)).toBe('2026-01-01T00:00:00.000Z')
    expect(sinceFor('all', now)).toBeUndefined()
  })
})
