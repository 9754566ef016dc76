import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { corrupted } from '../../../test/support/hostile-values.js'
import { parseRequest, ValidationError } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { ROUTING_STRATEGIES } from '../balancer/index.js'
import {
  STICKY_TTL_MAX_SECONDS,
  STICKY_TTL_MIN_SECONDS,
  settingsUpdateSchema,
  toSettingsResponse,
} from './schemas.js'
import { OVERFLOW_MODES, type Settings } from './service.js'

// Settings payloads: every valid value passes unchanged, the settings page's view of the stored
// settings sent back as it is parses to the same values, and nothing corrupted gets past a 422.

const percent = fc.double({ min: 0, max: 100, noNaN: true })
const values = {
  totpRequiredOnLogin: fc.boolean(),
  apiKeyAuthEnabled: fc.boolean(),
  headroomPrimaryPercent: percent,
  headroomSecondaryPercent: percent,
  routingStrategy: fc.constantFrom(...ROUTING_STRATEGIES),
  stickyTtlSeconds: fc.integer({ min: STICKY_TTL_MIN_SECONDS, max: STICKY_TTL_MAX_SECONDS }),
  accountMaxStreams: fc.integer({ min: 1, max: 1000 }),
  accountQueueWaitSeconds: fc.integer({ min: 1, max: 600 }),
  overflowMode: fc.constantFrom(...OVERFLOW_MODES),
}
const nullable = Object.fromEntries(
  Object.entries(values).map(([k, v]) => [k, fc.option(v as fc.Arbitrary<unknown>, { nil: null })]),
)
const update = fc.record(
  { stickyThreadsEnabled: fc.boolean(), preferEarlierResetAccounts: fc.boolean(), ...nullable },
  { requiredKeys: ['stickyThreadsEnabled', 'preferEarlierResetAccounts'] },
)

const settings: fc.Arbitrary<Settings> = fc.record({
  stickyThreadsEnabled: fc.boolean(),
  preferEarlierResetAccounts: fc.boolean(),
  ...values,
  totpConfigured: fc.boolean(),
  passwordConfigured: fc.boolean(),
  sessionEpoch: fc.nat(),
})

const snakeCase = (body: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  )

describe('settings payload properties', () => {
  it('accepts every valid update, camel or snake case, and keeps its values', () => {
    const prop = fc.property(update, fc.boolean(), (body, snake) => {
      const sent = JSON.parse(JSON.stringify(snake ? snakeCase(body) : body)) as unknown
      expect(parseRequest(settingsUpdateSchema, camelizeKeys(sent))).toEqual(body)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('round-trips the settings view: sent back unchanged it parses to the stored values', () => {
    const prop = fc.property(settings, (s) => {
      const { totpConfigured: _t, ...view } = JSON.parse(
        JSON.stringify(toSettingsResponse(s)),
      ) as Record<string, unknown>
      const { totpConfigured: _c, passwordConfigured: _p, sessionEpoch: _e, ...editable } = s
      expect(parseRequest(settingsUpdateSchema, camelizeKeys(view))).toEqual(editable)
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('answers any corrupted update with a 422, never another error', () => {
    const prop = fc.property(corrupted(update), (raw) => {
      try {
        parseRequest(settingsUpdateSchema, camelizeKeys(raw))
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError)
        expect((err as ValidationError).status).toBe(422)
        expect((err as Error).message.length).toBeLessThan(300)
      }
    })
    fc.assert(prop, fuzzParams(300))
  })

  it.each([
    ['a percentage over 100', { headroomPrimaryPercent: 100.5 }, 'headroomPrimaryPercent'],
    ['a TTL under a minute', { stickyTtlSeconds: STICKY_TTL_MIN_SECONDS - 1 }, 'stickyTtlSeconds'],
    ['a fractional stream cap', { accountMaxStreams: 1.5 }, 'accountMaxStreams'],
    ['an unknown strategy', { routingStrategy: 'random' }, 'routingStrategy'],
  ])('names the field of %s', (_name, extra, field) => {
    const body = { stickyThreadsEnabled: true, preferEarlierResetAccounts: false, ...extra }
    expect(() => parseRequest(settingsUpdateSchema, body)).toThrow(`${field}:`)
  })
})
