import { describe, expect, it } from 'vitest'
import { errorLogLevel, loggerOptions, resolveLogFormat } from './logger.js'

describe('resolveLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('%s with a terminal=%s prints %s', (setting, tty, format) => {
    expect(resolveLogFormat(setting, tty)).toBe(format)
  })
})

describe('loggerOptions', () => {
  it('writes JSON to stdout (pino default) unless pretty', () => {
    expect(loggerOptions('info', 'json')).not.toHaveProperty('stream')
  })

  it('pretty lines go through a stream; a test stream always wins', () => {
    expect(loggerOptions('info', 'pretty')).toHaveProperty('stream')
    const stream = { write: () => undefined }
    expect(loggerOptions('info', 'pretty', stream)).toMatchObject({ stream })
  })
})

describe('errorLogLevel', () => {
  it.each([
    [500, 'error'],
    [502, 'warn'],
    [503, 'warn'],
    [504, 'warn'],
    [400, 'info'],
    [401, 'info'],
    [404, 'info'],
    [422, 'info'],
    [429, 'info'],
  ] as const)('%i is logged at %s', (status, level) => {
    expect(errorLogLevel(status)).toBe(level)
  })
})
