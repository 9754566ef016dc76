import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 10, 1, 12, 0, 0)
const DAY = 86_400_000

const weeklyTotal = (maxValue: number) => ({
  limitType: 'total_tokens',
  limitWindow: 'weekly',
  maxValue,
})

for (const dialect of DIALECTS) {
  describe(`api keys API (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    /** Spends `tokens` against a key through the reservation service, as the proxy would. */
    async function spend(keyId: string, model: string, input: number, output: number) {
      const { reservations } = t.app.services.apiKeys
      const reservation = await reservations.reserve(
        { id: keyId, name: 'k', allowedModels: null },
        model,
      )
      await reservations.settle(reservation, {
        inputTokens: input,
        outputTokens: output,
        cachedInputTokens: 0,
        costUsd: 0,
      })
    }

    it('creates (slash and no slash), shows the key once, stores only its SHA-256', async () => {
      const res = await api.post('/api/api-keys/', {
        name: '  ci bot  ',
        allowedModels: ['gpt-5.1', ' ', 'gpt-5.1'],
        expiresAt: '2027-01-01T00:00:00Z',
        limits: [weeklyTotal(1000)],
      })
      expect(res.status).toBe(200)
      const key: string = res.body.key
      expect(key).toMatch(/^sk-clb-[A-Za-z0-9_-]{43}$/)
      expect(res.body).toMatchObject({
        name: 'ci bot',
        keyPrefix: key.slice(0, 15),
        allowedModels: ['gpt-5.1'],
        expiresAt: '2027-01-01T00:00:00.000Z',
        isActive: true,
        createdAt: new Date(START).toISOString(),
        lastUsedAt: null,
        limits: [
          {
            limitType: 'total_tokens',
            limitWindow: 'weekly',
            maxValue: 1000,
            currentValue: 0,
            modelFilter: null,
            resetAt: new Date(START + 7 * DAY).toISOString(),
          },
        ],
      })
      clock.advance(1000)
      const second = await api.post('/api/api-keys', { name: 'no slash' })
      expect(second.status).toBe(200)
      expect(second.body.allowedModels).toBeNull()
      expect(second.body.limits).toEqual([])

      const list = await api.get('/api/api-keys')
      expect(list.status).toBe(200)
      expect(list.body.map((k: { name: string }) => k.name)).toEqual(['no slash', 'ci bot'])
      expect((await api.get('/api/api-keys/')).body).toHaveLength(2)
      const text = JSON.stringify(list.body)
      const hash = createHash('sha256').update(key).digest('hex')
      expect(text).not.toContain(key)
      expect(text).not.toContain(hash)
      expect(list.body[1]).not.toHaveProperty('key')

      const rows = await t.database.db.selectFrom('api_keys').selectAll().execute()
      expect(rows.map((r) => r.key_hash)).toContain(hash)
      expect(JSON.stringify(rows)).not.toContain(key)
    })

    it('names the offending field in 422 validation errors; accepts snake_case', async () => {
      const bad = await api.post('/api/api-keys/', {
        name: 'x',
        limits: [{ limitType: 'total_tokens', limitWindow: 'weekly', maxValue: 0 }],
      })
      expect(bad.status).toBe(422)
      expect(bad.body.error.code).toBe('validation_error')
      expect(bad.body.error.message).toContain('limits[0].maxValue')

      const type = await api.post('/api/api-keys/', {
        name: 'x',
        limits: [{ limitType: 'requests', limitWindow: 'weekly', maxValue: 5 }],
      })
      expect(type.status).toBe(422)
      expect(type.body.error.message).toContain('limits[0].limitType')

      const blank = await api.post('/api/api-keys/', { name: '   ' })
      expect(blank.status).toBe(422)
      expect(blank.body.error.message).toContain('name')

      const date = await api.post('/api/api-keys/', { name: 'x', expiresAt: 'tomorrow' })
      expect(date.status).toBe(422)
      expect(date.body.error.message).toContain('expiresAt')

      // A key that would be born expired (the clock stands at START).
      for (const past of [new Date(START - 1000).toISOString(), new Date(START).toISOString()]) {
        const expired = await api.post('/api/api-keys/', { name: 'x', expiresAt: past })
        expect(expired.status, past).toBe(422)
        expect(expired.body).toEqual({
          error: {
            code: 'validation_error',
            message: 'Invalid request payload: expiresAt: must be in the future',
          },
        })
      }

      const snake = await api.post('/api/api-keys/', {
        name: 'snake',
        allowed_models: ['gpt-5.1'],
        limits: [
          {
            limit_type: 'cost_usd',
            limit_window: 'daily',
            max_value: 5_000_000,
            model_filter: 'gpt-5.1',
          },
        ],
      })
      expect(snake.status).toBe(200)
      expect(snake.body.allowedModels).toEqual(['gpt-5.1'])
      expect(snake.body.limits[0]).toMatchObject({ limitType: 'cost_usd', modelFilter: 'gpt-5.1' })

      const legacy = await api.post('/api/api-keys/', { name: 'legacy', weeklyTokenLimit: 500 })
      expect(legacy.body.limits).toMatchObject([weeklyTotal(500)])
    })

    it('PATCH preserves usage: name only, isActive only, same policy reordered, max change', async () => {
      const created = await api.post('/api/api-keys/', {
        name: 'k',
        limits: [
          weeklyTotal(1000),
          { limitType: 'output_tokens', limitWindow: 'daily', maxValue: 50 },
        ],
      })
      const id: string = created.body.id
      await spend(id, 'gpt-5.1', 10, 5)
      const before = (await api.get('/api/api-keys/')).body[0].limits
      expect(before.map((l: { currentValue: number }) => l.currentValue)).toEqual([15, 5])

      const renamed = await api.patch(`/api/api-keys/${id}`, { name: 'renamed' })
      expect(renamed.status).toBe(200)
      expect(renamed.body.name).toBe('renamed')
      expect(renamed.body.limits).toEqual(before)

      const inactive = await api.patch(`/api/api-keys/${id}`, { isActive: false })
      expect(inactive.body.isActive).toBe(false)
      expect(inactive.body.limits).toEqual(before)
      expect((await api.patch(`/api/api-keys/${id}`, { is_active: true })).body.isActive).toBe(true)

      clock.advance(3_600_000)
      const reordered = await api.patch(`/api/api-keys/${id}`, {
        limits: [
          { limitType: 'output_tokens', limitWindow: 'daily', maxValue: 50 },
          weeklyTotal(1000),
        ],
      })
      expect(reordered.body.limits).toEqual(before)

      const raised = await api.patch(`/api/api-keys/${id}`, {
        limits: [
          weeklyTotal(12),
          { limitType: 'output_tokens', limitWindow: 'daily', maxValue: 50 },
        ],
      })
      expect(raised.body.limits[0]).toMatchObject({
        id: before[0].id,
        maxValue: 12,
        currentValue: 15,
        resetAt: before[0].resetAt,
      })
      // The lower max now judges the same usage as spent.
      await expect(
        t.app.services.apiKeys.reservations.reserve(
          { id, name: 'k', allowedModels: null },
          'gpt-5.1',
        ),
      ).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' })
    })

    it('PATCH limits: added rules start at zero, dropped rules go, resetUsage alone zeroes', async () => {
      const created = await api.post('/api/api-keys/', { name: 'k', limits: [weeklyTotal(1000)] })
      const id: string = created.body.id
      await spend(id, 'gpt-5.1', 100, 0)
      clock.advance(60_000)

      const swapped = await api.patch(`/api/api-keys/${id}`, {
        limits: [{ limitType: 'input_tokens', limitWindow: 'daily', maxValue: 10 }],
      })
      expect(swapped.body.limits).toEqual([
        expect.objectContaining({
          limitType: 'input_tokens',
          currentValue: 0,
          resetAt: new Date(START + 60_000 + DAY).toISOString(),
        }),
      ])
      await spend(id, 'gpt-5.1', 7, 0)
      clock.advance(60_000)
      const reset = await api.patch(`/api/api-keys/${id}`, { resetUsage: true })
      expect(reset.body.limits[0]).toMatchObject({
        currentValue: 0,
        resetAt: new Date(START + 120_000 + DAY).toISOString(),
      })

      const dup = await api.patch(`/api/api-keys/${id}`, {
        limits: [weeklyTotal(1), weeklyTotal(2)],
      })
      expect(dup.status).toBe(422)
      expect(dup.body.error).toEqual({
        code: 'validation_error',
        message: expect.stringContaining('limits[1]: duplicate limit rule total_tokens weekly'),
      })
      const dupOnCreate = await api.post('/api/api-keys/', {
        name: 'dup',
        limits: [weeklyTotal(1), { ...weeklyTotal(1), limitWindow: 'daily' }, weeklyTotal(3)],
      })
      expect(dupOnCreate.status).toBe(422)
      expect(dupOnCreate.body.error.message).toContain('limits[2]')

      const cleared = await api.patch(`/api/api-keys/${id}`, { limits: null })
      expect(cleared.body.limits).toEqual([])
    })

    it('regenerates the secret only; deletes with 204; unknown ids are 404 not_found', async () => {
      const created = await api.post('/api/api-keys/', { name: 'k', limits: [weeklyTotal(1000)] })
      const id: string = created.body.id
      await spend(id, 'gpt-5.1', 20, 0)
      const { service } = t.app.services.apiKeys
      await expect(service.authenticate(created.body.key)).resolves.toMatchObject({ id })

      const regen = await api.post(`/api/api-keys/${id}/regenerate`)
      expect(regen.status).toBe(200)
      expect(regen.body.key).not.toBe(created.body.key)
      expect(regen.body.keyPrefix).toBe(regen.body.key.slice(0, 15))
      expect(regen.body.limits[0].currentValue).toBe(20)
      await expect(service.authenticate(created.body.key)).rejects.toMatchObject({ status: 401 })
      await expect(service.authenticate(regen.body.key)).resolves.toMatchObject({ id })

      const del = await api.delete(`/api/api-keys/${id}`)
      expect(del.status).toBe(204)
      expect(del.body).toBeUndefined()
      for (const res of [
        await api.delete(`/api/api-keys/${id}`),
        await api.patch(`/api/api-keys/${id}`, { name: 'x' }),
        await api.post(`/api/api-keys/${id}/regenerate`),
      ]) {
        expect(res.status).toBe(404)
        expect(res.body.error).toEqual({ code: 'not_found', message: `API key not found: ${id}` })
      }
    })

    it('lists usage as of now: an ended window shows zero and its next reset', async () => {
      const created = await api.post('/api/api-keys/', {
        name: 'k',
        limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 100 }],
      })
      await spend(created.body.id, 'gpt-5.1', 30, 0)
      clock.advance(2 * DAY + 1000)
      const [key] = (await api.get('/api/api-keys/')).body
      expect(key.limits[0]).toMatchObject({
        currentValue: 0,
        resetAt: new Date(START + 3 * DAY).toISOString(),
      })
      expect(key.lastUsedAt).toBe(new Date(START).toISOString())
    })

    it('sits behind the dashboard session guard', async () => {
      await api.post('/api/dashboard-auth/password/setup', { password: 'a long password' })
      const anonymous = new DashboardClient(t.url)
      expect((await anonymous.get('/api/api-keys/')).status).toBe(401)
      expect((await anonymous.post('/api/api-keys/', { name: 'x' })).status).toBe(401)
      expect((await api.get('/api/api-keys/')).status).toBe(200)
    })
  })
}
