import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database, NewRequestLogRow } from '../../db/schema.js'
import { requestLogStatements } from './log-insert.js'
import { ShapeCache } from './statement-shapes.js'

const sqlite = new Kysely<Database>({
  dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
})
// Compiling needs no connection: the pool is never asked for one.
const postgres = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: async () => Promise.reject(new Error('no database')) }),
})

function row(i: number, extra: Partial<NewRequestLogRow> = {}): NewRequestLogRow {
  return {
    account_id: i % 2 ? `acc-${i}` : null,
    api_key_id: null,
    request_id: `req-${i}`,
    requested_at: 1_700_000_000_000 + i * 1_000_000,
    endpoint: '/v1/responses',
    model: i % 3 ? 'gpt-5.5' : 'gpt-5.1',
    reasoning_effort: i % 2 ? 'high' : null,
    status: i % 4 ? 'success' : 'error',
    http_status: 200,
    error_code: i % 4 ? null : 'server_error',
    error_message: null,
    input_tokens: i * 10,
    cached_input_tokens: null,
    output_tokens: i,
    reasoning_tokens: null,
    cost_usd: i / 1000,
    latency_ms: 100 + i,
    ttfb_ms: null,
    ...extra,
  }
}

describe('ShapeCache', () => {
  for (const [name, db] of [
    ['sqlite', sqlite],
    ['postgres', postgres],
  ] as const) {
    it(`gives the statements Kysely compiles, batch after batch of the same shape (${name})`, () => {
      const shapes = new ShapeCache()
      const batches: NewRequestLogRow[][] = [
        [row(1), row(2), row(3)],
        [row(4), row(5), row(6)],
        [row(7, { transport: 'websocket' }), row(8)],
        [row(9, { transport: 'http' }), row(10)],
        // An undefined value: Kysely leaves the column out of that row.
        [{ ...row(11), client_ip: undefined } as unknown as NewRequestLogRow, row(12)],
        [row(13)],
        // The same columns in the same order overall, split differently between the rows.
        [row(14, { transport: 'http' }), row(15)],
        [row(16), { transport: 'websocket', ...row(17) } as NewRequestLogRow],
      ]
      for (const rows of batches) {
        const cached = requestLogStatements(db, rows, shapes.compile)
        const fresh = requestLogStatements(db, rows)
        expect(cached.map((s) => [s.sql, [...s.parameters]])).toEqual(
          fresh.map((s) => [s.sql, [...s.parameters]]),
        )
      }
    })
  }
})
