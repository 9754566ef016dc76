import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FILTERS,
  isFiltered,
  parseFilters,
  rangeFor,
  serializeFilters,
  sinceFor,
  type LogFilters,
} from './filters'

describe('request log filters in the URL', () => {
  it('round-trips every filter, repeating multi-value parameters', () => {
    const filters: LogFilters = {
      search: 'timeout',
      timeframe: '7d',
      since: null,
      until: null,
      accountIds: ['a1', 'a2'],
      statuses: ['rate_limit', 'error'],
      modelOptions: ['gpt-5.5:::high'],
      apiKeyIds: ['k1', 'none'],
      limit: 50,
      offset: 100,
    }
    const qs = serializeFilters(filters)
    expect(qs).toContain('accountId=a1&accountId=a2')
    expect(qs).toContain('apiKeyId=k1&apiKeyId=none')
    expect(parseFilters(qs)).toEqual(filters)
  })

  it('writes a custom range as UTC since/until and reads it back as custom', () => {
    const custom: LogFilters = {
      ...DEFAULT_FILTERS,
      timeframe: 'custom',
      since: '2026-12-01T08:30:00.000Z',
      until: '2026-12-02T17:00:00.000Z',
    }
    const qs = serializeFilters(custom)
    expect(new URLSearchParams(qs).get('since')).toBe('2026-12-01T08:30:00.000Z')
    expect(new URLSearchParams(qs).has('timeframe')).toBe(false)
    expect(parseFilters(qs)).toEqual(custom)
    // One open end is still a custom range; an offset in a hand-written link is normalised to UTC.
    expect(parseFilters('?since=2026-12-01T10:30:00%2B02:00')).toMatchObject({
      timeframe: 'custom',
      since: '2026-12-01T08:30:00.000Z',
      until: null,
    })
    expect(isFiltered(parseFilters('?until=2026-12-01T00:00:00Z'))).toBe(true)
  })

  it('keeps defaults out of the URL and ignores junk values', () => {
    expect(serializeFilters(DEFAULT_FILTERS)).toBe('')
    expect(parseFilters('?timeframe=forever&limit=7&offset=-5&since=soon')).toEqual(DEFAULT_FILTERS)
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false)
  })

  it('turns a preset into a since timestamp, and passes a custom range as given', () => {
    const now = Date.parse('2026-01-02T00:00:00Z')
    expect(sinceFor('24h', now)).toBe('2026-01-01T00:00:00.000Z')
    expect(sinceFor('all', now)).toBeUndefined()
    expect(rangeFor({ timeframe: '1h', since: null, until: null }, now)).toEqual({
      since: '2026-01-01T23:00:00.000Z',
      until: undefined,
    })
    expect(
      rangeFor({ timeframe: 'custom', since: null, until: '2026-01-01T00:00:00.000Z' }, now),
    ).toEqual({ since: undefined, until: '2026-01-01T00:00:00.000Z' })
  })
})
