import { REASONING_EFFORTS, SERVICE_TIERS } from '@codex-lb/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../../test/support/fuzz.js'
import { corrupted } from '../../../test/support/hostile-values.js'
import { parseRequest, ValidationError } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import {
  apiKeyCreateSchema,
  apiKeyUpdateSchema,
  requestedLimits,
  toApiKeyResponse,
} from './schemas.js'
import type { ApiKeyRecord } from './repository.js'

// API-key payloads as the dashboard sends them (camelCase or snake_case, padded, repeated, mixed
// case) parse to the normalized values; a stored key shown by the API and sent back unchanged
// parses to what is stored; and no corrupted payload gets anything but a 422.

const pad = fc.constantFrom('', ' ', '\t', '  \n')
const padded = (s: fc.Arbitrary<string>) => fc.tuple(pad, s, pad).map(([a, v, b]) => `${a}${v}${b}`)
/** Already trimmed and non-empty, as stored. */
const clean = (max: number) =>
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: max })
    .filter((s) => s === s.trim() && s !== '')
const mixedCase = (s: string) => fc.boolean().map((up) => (up ? s.toUpperCase() : s))
const ms = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })

/** ISO text for `ms`: with Z, without an offset (read as UTC), or with a ±hh:mm offset. */
const isoFor = (t: number) =>
  fc.oneof(
    fc.constant(new Date(t).toISOString()),
    fc.constant(new Date(t).toISOString().slice(0, -1)),
    fc.integer({ min: -14 * 60, max: 14 * 60 }).map((offset) => {
      const local = new Date(t + offset * 60_000).toISOString().slice(0, -1)
      const h = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')
      const m = String(Math.abs(offset) % 60).padStart(2, '0')
      return `${local}${offset < 0 ? '-' : '+'}${h}:${m}`
    }),
  )

const rule = fc.record({
  limitType: fc.constantFrom('total_tokens', 'input_tokens', 'output_tokens', 'cost_usd' as const),
  limitWindow: fc.constantFrom('daily', 'weekly', 'monthly' as const),
  maxValue: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  modelFilter: fc
    .option(padded(clean(40)), { nil: undefined })
    .chain((m) => fc.constantFrom(m, null, '')),
})

const createBody = fc.record(
  {
    name: padded(clean(60)),
    allowedModels: fc.option(fc.array(fc.oneof(padded(clean(40)), pad), { maxLength: 6 }), {
      nil: null,
    }),
    expiresAt: fc.option(ms.chain(isoFor), { nil: null }),
    limits: fc.option(fc.array(rule, { maxLength: 4 }), { nil: null }),
    weeklyTokenLimit: fc.option(fc.integer({ min: 1, max: 1e12 }), { nil: null }),
    allowedReasoningEfforts: fc.array(fc.constantFrom(...REASONING_EFFORTS).chain(mixedCase), {
      maxLength: 8,
    }),
    allowedServiceTiers: fc.array(fc.constantFrom(...SERVICE_TIERS, 'fast').chain(mixedCase), {
      maxLength: 8,
    }),
    allowedAccountIds: fc.array(padded(clean(20)), { maxLength: 4 }),
    maxConcurrentRequests: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
  },
  { requiredKeys: ['name'] },
)

const uniqueOrNull = (list: string[]) => (list.length === 0 ? null : [...new Set(list)])

describe('API-key payload properties', () => {
  it('parses any valid create body (camel or snake case) to the normalized values', () => {
    const prop = fc.property(createBody, fc.boolean(), (body, snake) => {
      const sent = snake
        ? Object.fromEntries(
            Object.entries(body).map(([k, v]) => [
              k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
              v,
            ]),
          )
        : body
      const out = parseRequest(apiKeyCreateSchema, camelizeKeys(JSON.parse(JSON.stringify(sent))))
      expect(out.name).toBe(body.name.trim())
      if (body.allowedModels !== undefined)
        expect(out.allowedModels).toEqual(
          uniqueOrNull(body.allowedModels?.map((m) => m.trim()).filter(Boolean) ?? []),
        )
      if (body.expiresAt !== undefined) {
        const text = body.expiresAt
        expect(out.expiresAt).toBe(
          text === null ? null : Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`),
        )
      }
      if (body.limits !== undefined)
        expect(out.limits).toEqual(
          (body.limits ?? []).map((r) => ({ ...r, modelFilter: r.modelFilter?.trim() || null })),
        )
      if (body.allowedReasoningEfforts)
        expect(out.allowedReasoningEfforts).toEqual(
          uniqueOrNull(body.allowedReasoningEfforts.map((e) => e.toLowerCase())),
        )
      if (body.allowedServiceTiers)
        expect(out.allowedServiceTiers).toEqual(
          uniqueOrNull(
            body.allowedServiceTiers
              .map((t) => t.toLowerCase())
              .map((t) => (t === 'fast' ? 'priority' : t)),
          ),
        )
      // `limits` wins over the legacy weekly cap.
      const limits = requestedLimits(out)
      if (body.limits !== undefined) expect(limits).toEqual(out.limits)
      else if (body.weeklyTokenLimit != null)
        expect(limits).toEqual([
          {
            limitType: 'total_tokens',
            limitWindow: 'weekly',
            maxValue: body.weeklyTokenLimit,
            modelFilter: null,
          },
        ])
    })
    fc.assert(prop, fuzzParams(200))
  })

  const stored = (list: fc.Arbitrary<string>) =>
    fc.option(fc.uniqueArray(list, { minLength: 1, maxLength: 4 }), { nil: null })
  const record: fc.Arbitrary<ApiKeyRecord> = fc.record({
    id: fc.uuid(),
    name: clean(60),
    keyPrefix: fc.constant('sk-clb-abc'),
    allowedModels: stored(clean(40)),
    expiresAt: fc.option(ms, { nil: null }),
    isActive: fc.boolean(),
    createdAt: ms,
    lastUsedAt: fc.option(ms, { nil: null }),
    limits: fc.uniqueArray(
      fc.record({
        id: fc.nat(),
        limitType: rule.map((r) => r.limitType),
        limitWindow: rule.map((r) => r.limitWindow),
        maxValue: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        modelFilter: fc.option(clean(40), { nil: null }),
        currentValue: fc.nat(),
        resetAt: ms,
      }),
      { maxLength: 4, selector: (r) => r.id },
    ),
    policy: fc.record({
      allowedReasoningEfforts: stored(fc.constantFrom(...REASONING_EFFORTS)),
      allowedServiceTiers: stored(fc.constantFrom(...SERVICE_TIERS)),
      allowedAccountIds: stored(clean(20)),
      maxConcurrentRequests: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
    }),
  })

  it('round-trips a stored key: its API view sent back as an update parses to what is stored', () => {
    const prop = fc.property(record, ms, (key, now) => {
      const view = JSON.parse(JSON.stringify(toApiKeyResponse(key, now))) as Record<string, unknown>
      const { id: _id, keyPrefix: _p, createdAt: _c, lastUsedAt: _l, ...editable } = view
      const out = parseRequest(apiKeyUpdateSchema, camelizeKeys(editable))
      expect(out).toMatchObject({
        name: key.name,
        allowedModels: key.allowedModels,
        expiresAt: key.expiresAt,
        isActive: key.isActive,
        ...key.policy,
      })
      expect(out.limits).toEqual(
        key.limits.map(({ limitType, limitWindow, maxValue, modelFilter }) => ({
          limitType,
          limitWindow,
          maxValue,
          modelFilter,
        })),
      )
    })
    fc.assert(prop, fuzzParams(200))
  })

  it('answers any corrupted create or update body with a 422, never another error', () => {
    const body = corrupted(createBody.map((b) => JSON.parse(JSON.stringify(b)) as unknown))
    const prop = fc.property(body, (raw) => {
      for (const schema of [apiKeyCreateSchema, apiKeyUpdateSchema]) {
        try {
          parseRequest(schema, camelizeKeys(raw))
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError)
          expect((err as ValidationError).status).toBe(422)
          expect((err as Error).message.length).toBeLessThan(300)
        }
      }
    })
    fc.assert(prop, fuzzParams(300))
  })
})

// Found by the property above: camelizeKeys recursed once per level, so a 40 kB body nested 20,000
// deep overflowed the stack (a 500) before the schema could refuse it.
describe('API-key payload regressions', () => {
  it('refuses a body nested 20,000 deep with a 422', () => {
    let deep: unknown = []
    for (let i = 0; i < 20_000; i++) deep = [deep]
    expect(() => parseRequest(apiKeyCreateSchema, camelizeKeys(deep))).toThrow(ValidationError)
    const body = { name: 'k', allowed_models: deep }
    expect(() => parseRequest(apiKeyCreateSchema, camelizeKeys(body))).toThrow('allowedModels[0]')
  })
})
