import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { formatIssuePath, parseRequest } from './validation.js'

describe('parseRequest', () => {
  const schema = z.object({ limits: z.array(z.object({ maxValue: z.number().min(1) })) })

  it('returns the parsed value', () => {
    expect(parseRequest(schema, { limits: [{ maxValue: 2 }] })).toEqual({
      limits: [{ maxValue: 2 }],
    })
  })

  it('throws a 422 validation_error naming the field (param and message)', () => {
    expect(() => parseRequest(schema, { limits: [{ maxValue: 0 }] })).toThrow(
      expect.objectContaining({
        status: 422,
        code: 'validation_error',
        param: 'limits[0].maxValue',
        message: expect.stringContaining('limits[0].maxValue'),
      }),
    )
    expect(() => parseRequest(schema, undefined, 400)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining('body') }),
    )
  })

  it('formats paths', () => {
    expect(formatIssuePath(['a', 0, 'b', 1])).toBe('a[0].b[1]')
    expect(formatIssuePath([])).toBe('')
  })
})
