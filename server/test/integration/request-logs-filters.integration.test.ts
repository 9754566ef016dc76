import { requestLogOptionsSchema } from '@codex-lb/shared'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/schema.js'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertLogs, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0)
const at = (seconds: number) => T0 + seconds * 1000
const iso = (seconds: number) => new Date(at(seconds)).toISOString()
const KEY_CI = '7f1c2a52-0000-4000-8000-000000000001'
const KEY_LAPTOP = '7f1c2a52-0000-4000-8000-000000000002'
/** Named in a log row, but deleted since. */
const KEY_GONE = '7f1c2a52-0000-4000-8000-000000000003'

async function insertKey(db: Kysely<Database>, id: string, name: string) {
  await db
    .insertInto('api_keys')
    .values({
      id,
      name,
      key_hash: `hash-${id}`,
      key_prefix: 'sk-clb-test',
      allowed_models: null,
      expires_at: null,
      is_active: 1,
      created_at: 1,
      last_used_at: null,
    })
    .execute()
}

/** k1..k5 one second apart: two by CI, one by the laptop, one by a deleted key, one without a key. */
const ROWS = [
  logRow({ request_id: 'k1', requested_at: at(1), api_key_id: KEY_CI }),
  logRow({ request_id: 'k2', requested_at: at(2), api_key_id: KEY_LAPTOP, status: 'error' }),
  logRow({ request_id: 'k3', requested_at: at(3), api_key_id: null }),
  logRow({ request_id: 'k4', requested_at: at(4), api_key_id: KEY_CI, model: 'gpt-5' }),
  logRow({ request_id: 'k5', requested_at: at(5), api_key_id: KEY_GONE }),
]

const BAD_QUERIES = [
  ['status=bogus', 'status'],
  ['status=ok&status=timeout', 'status'],
  ['since=last-tuesday', 'since'],
  ['until=2026-11-21 10:00', 'until'],
  [`since=${iso(5)}&until=${iso(1)}`, 'until'],
] as const

for (const dialect of DIALECTS) {
  describe(`request-log filters: API keys and bad input (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient
    const range = `since=${iso(0)}&until=${iso(10)}`
    const listIds = async (query: string) => {
      const res = await api.get(`/api/request-logs?${range}&${query}`)
      expect(res.status, query).toBe(200)
      return res.body.requests.map((r: { requestId: string }) => r.requestId)
    }
    const exportIds = async (query: string) => {
      const res = await fetch(`${t.url}/api/request-logs/export?${range}&${query}`)
      expect(res.status, query).toBe(200)
      const [, ...lines] = (await res.text()).trim().split('\r\n')
      return lines.map((line) => line.split(',')[1])
    }

    beforeAll(async () => {
      t = await startDialectApp(dialect)
      api = new DashboardClient(t.url)
      await insertKey(t.database.db, KEY_CI, 'CI')
      await insertKey(t.database.db, KEY_LAPTOP, 'laptop')
      await insertLogs(t.database.db, ROWS)
    })
    afterAll(async () => t.close())

    it('lists only the rows of the chosen keys, "none" meaning sent without a key', async () => {
      expect(await listIds(`apiKeyId=${KEY_CI}`)).toEqual(['k4', 'k1'])
      expect(await listIds(`apiKeyId=${KEY_CI}&apiKeyId=${KEY_LAPTOP}`)).toEqual(['k4', 'k2', 'k1'])
      expect(await listIds('apiKeyId=none')).toEqual(['k3'])
      expect(await listIds(`apiKeyId=none&apiKeyId=${KEY_GONE}`)).toEqual(['k5', 'k3'])
      // Combined with the other filters (AND), and counted the same way.
      const res = await api.get(`/api/request-logs?${range}&apiKeyId=${KEY_CI}&model=gpt-5`)
      expect(res.body).toMatchObject({ total: 1, hasMore: false })
      expect(await listIds('apiKeyId=unknown-key')).toEqual([])
    })

    it('exports the same rows as the list for the same key filter', async () => {
      expect(await exportIds(`apiKeyId=${KEY_CI}`)).toEqual(['k4', 'k1'])
      expect(await exportIds(`apiKeyId=none&apiKeyId=${KEY_LAPTOP}`)).toEqual(['k3', 'k2'])
    })

    it('offers the keys seen in the range with their names, and whether some had none', async () => {
      const res = await api.get(`/api/request-logs/options?${range}`)
      expect(res.status).toBe(200)
      expect(requestLogOptionsSchema.parse(res.body)).toBeTruthy()
      expect(res.body.apiKeys).toEqual([
        { id: KEY_CI, name: 'CI' },
        { id: KEY_LAPTOP, name: 'laptop' },
        { id: KEY_GONE, name: null },
      ])
      expect(res.body.noApiKey).toBe(true)

      const later = await api.get(`/api/request-logs/options?since=${iso(4)}&until=${iso(4)}`)
      expect(later.body).toMatchObject({ apiKeys: [{ id: KEY_CI, name: 'CI' }], noApiKey: false })

      const byKey = await api.get(`/api/request-logs/options?${range}&apiKeyId=${KEY_LAPTOP}`)
      expect(byKey.body).toMatchObject({
        apiKeys: [{ id: KEY_LAPTOP, name: 'laptop' }],
        noApiKey: false,
        statuses: ['error'],
      })
      // Only the name is read from api_keys: never its hash or prefix.
      expect(JSON.stringify(res.body)).not.toMatch(/hash-|sk-clb/)
    })

    it('answers 422 naming the field on the list, the options and the export, never 500', async () => {
      for (const path of [
        '/api/request-logs',
        '/api/request-logs/options',
        '/api/request-logs/export',
      ]) {
        for (const [query, field] of BAD_QUERIES) {
          const res = await api.get(`${path}?${query}`)
          expect(res.status, `${path}?${query}`).toBe(422)
          expect(res.body.error.code).toBe('validation_error')
          expect(res.body.error.message).toContain(field)
          expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message'])
        }
      }
      const reversed = await api.get(`/api/request-logs?since=${iso(5)}&until=${iso(1)}`)
      expect(reversed.body.error.message).toContain('until: must not be before since')
    })

    it('stays lenient where the value has a reading: all, case, blanks, model options', async () => {
      expect(await listIds('status=all')).toHaveLength(5)
      expect(await listIds('status=ERROR&status=')).toEqual(['k2'])
      expect(await listIds('modelOption=gpt-5')).toEqual(['k4'])
      expect(await listIds(`modelOption=${encodeURIComponent('no-such-model:::x:::y')}`)).toEqual(
        [],
      )
      // An empty range is allowed: since equal to until is one instant.
      const instant = await api.get(`/api/request-logs?since=${iso(4)}&until=${iso(4)}`)
      expect(instant.body.requests.map((r: { requestId: string }) => r.requestId)).toEqual(['k4'])
    })
  })
}
