import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPORT_ROW_LIMIT } from '../../src/modules/request-logs/index.js'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { insertAccount, insertLogs, logRow } from '../support/log-rows.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0)
const at = (seconds: number) => T0 + seconds * 1000
/** The 2,500-row set lives a day later, apart from the small one. */
const BIG_T0 = T0 + 86_400_000
const TRICKY = '=HYPERLINK("http://evil"), then\r\na second line'

/** RFC 4180 reader, to read back what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && c === ',') {
      row.push(cell)
      cell = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else {
      cell += c
    }
  }
  expect(cell, 'the last row ends with CRLF').toBe('')
  return rows
}

/** Rows as objects keyed by the header row. */
function records(text: string): Array<Record<string, string>> {
  const [header = [], ...rows] = parseCsv(text)
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

for (const dialect of DIALECTS) {
  describe(`GET /api/request-logs/export (${dialect.name})`, () => {
    let t: TestApp
    let api: DashboardClient
    const csv = async (query = '') => {
      const res = await fetch(`${t.url}/api/request-logs/export${query}`)
      return { res, text: await res.text() }
    }

    beforeAll(async () => {
      t = await startDialectApp(dialect)
      api = new DashboardClient(t.url)
      const db = t.database.db
      await insertAccount(db, { id: 'acc-a', email: 'alice@example.com' })
      await db
        .insertInto('api_keys')
        .values({
          id: 'key-1',
          name: 'CI, "nightly"',
          key_hash: 'hash-must-not-leak',
          key_prefix: 'sk-clb-prefix-must-not-leak',
          allowed_models: null,
          expires_at: null,
          is_active: 1,
          created_at: 1,
          last_used_at: null,
        })
        .execute()
      await insertLogs(db, [
        logRow({
          request_id: 'r1',
          requested_at: at(1),
          account_id: 'acc-a',
          api_key_id: 'key-1',
          input_tokens: 100,
          output_tokens: 50,
          cost_usd: 0.0012345678,
          latency_ms: 1234,
          client_ip: '203.0.113.7',
          user_agent: '@SUM(1+1) codex_cli_rs/0.63.0',
        }),
        logRow({
          request_id: 'r2',
          requested_at: at(2),
          account_id: 'acc-a',
          status: 'error',
          error_code: 'upstream_error',
          error_message: TRICKY,
        }),
        logRow({ request_id: 'r3', requested_at: at(3), account_id: 'acc-gone', model: '-5' }),
      ])
      // 2,500 rows, three per millisecond: batch edges fall inside runs of equal times.
      const big = Array.from({ length: 2500 }, (_, i) =>
        logRow({ request_id: `b-${i}`, requested_at: BIG_T0 + Math.floor(i / 3) }),
      )
      for (let i = 0; i < big.length; i += 500) await insertLogs(db, big.slice(i, i + 500))
    })
    afterAll(async () => t.close())

    it('answers an attachment with a header row, newest first, names resolved', async () => {
      const { res, text } = await csv(`?until=${new Date(at(10)).toISOString()}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="request-logs-\d{4}-\d{2}-\d{2}\.csv"$/,
      )
      expect(res.headers.get('x-export-row-limit')).toBe(String(EXPORT_ROW_LIMIT))
      expect(text.split('\r\n')[0]).toBe(
        'requested_at,request_id,status,error_code,error_message,account_id,account_email,' +
          'overflow_upstream,api_key_id,api_key_name,model,reasoning_effort,endpoint,tokens,' +
          'input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,cost_usd,latency_ms,' +
          'ttfb_ms,client_ip,user_agent',
      )
      const rows = records(text)
      expect(rows.map((r) => r.request_id)).toEqual(['r3', 'r2', 'r1'])
      expect(rows[2]).toMatchObject({
        requested_at: new Date(at(1)).toISOString(),
        status: 'ok',
        account_email: 'alice@example.com',
        api_key_id: 'key-1',
        api_key_name: 'CI, "nightly"',
        tokens: '150',
        cost_usd: '0.001235',
        latency_ms: '1234',
        error_message: '',
        client_ip: '203.0.113.7',
        user_agent: "'@SUM(1+1) codex_cli_rs/0.63.0",
      })
      // A deleted account has no email; a model that looks like a formula is defused.
      expect(rows[0]).toMatchObject({ account_id: 'acc-gone', account_email: '', model: "'-5" })
      expect(text).not.toContain('must-not-leak')
    })

    it('quotes commas, quotes and line breaks, and defuses a formula', async () => {
      const { text } = await csv(`?search=hyperlink`)
      expect(text).toContain(
        `,upstream_error,"'=HYPERLINK(""http://evil""), then\r\na second line",acc-a,`,
      )
      expect(records(text).map((r) => r.error_message)).toEqual([`'${TRICKY}`])
    })

    it('applies the list filters', async () => {
      const ids = async (q: string) => records((await csv(q)).text).map((r) => r.request_id)
      expect(await ids('?status=error')).toEqual(['r2'])
      expect(await ids('?accountId=acc-a&status=ok')).toEqual(['r1'])
      expect(
        await ids(`?since=${new Date(at(2)).toISOString()}&until=${new Date(at(3)).toISOString()}`),
      ).toEqual(['r3', 'r2'])
      // The list's own limit and offset do not cut the export.
      expect(await ids('?accountId=acc-a&limit=1&offset=1')).toEqual(['r2', 'r1'])
    })

    it('exports every row of a set larger than one batch, in order', async () => {
      const { res, text } = await csv(`?since=${new Date(BIG_T0).toISOString()}`)
      expect(res.status).toBe(200)
      const got = records(text).map((r) => r.request_id)
      expect(got).toHaveLength(2500)
      expect(got).toEqual(Array.from({ length: 2500 }, (_, i) => `b-${2499 - i}`))
    })

    it('answers 422 naming the bad filter', async () => {
      for (const [query, field] of [
        ['since=yesterday', 'since'],
        ['until=2026-13-01T00:00:00Z', 'until'],
        ['search=a&search=b', 'search'],
      ] as const) {
        const res = await api.get(`/api/request-logs/export?${query}`)
        expect(res.status, query).toBe(422)
        expect(res.body.error.code).toBe('validation_error')
        expect(res.body.error.message).toContain(field)
      }
    })

    it('needs the dashboard session once a password is set', async () => {
      const setHash = async (hash: string | null) => {
        await t.database.db.updateTable('dashboard_settings').set({ password_hash: hash }).execute()
        t.app.services.settings.invalidate()
      }
      await setHash('$2b$12$abcdefghijklmnopqrstuuJ0h3zJ7wq9Zp7Yb7u7y7t7r7e7w7q7e')
      try {
        const res = await new DashboardClient(t.url).get('/api/request-logs/export')
        expect(res.status).toBe(401)
        expect(res.body.error.code).toBe('authentication_required')
      } finally {
        await setHash(null)
      }
    })
  })
}
