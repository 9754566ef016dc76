import { describe, expect, it } from 'vitest'
import { RequestLogWriter } from '../../src/modules/request-logs/log-writer.js'
import { logRow } from '../support/log-rows.js'
import { useLostCommitApp } from '../support/lost-commit.js'

// The soak's outages cut PostgreSQL at random moments; one landing on a log batch's COMMIT leaves
// the batch written while the writer sees an error and writes it again. Written in this thread
// (the PostgreSQL path: no SQLite worker), the retry must find the batch there and not double it.

describe('a request-log batch whose COMMIT answer is lost', () => {
  const fx = useLostCommitApp()

  it('is written once, rows and rollups', async () => {
    const writer = new RequestLogWriter(fx.lossy, fx.t.app.log, { flushDelayMs: 0 })
    const at = Date.UTC(2026, 11, 5, 12)
    writer.enqueue(logRow({ requested_at: at, request_id: 'req-lost-a' }))
    writer.enqueue(logRow({ requested_at: at + 1, request_id: 'req-lost-b' }))
    await writer.flush()
    const db = fx.t.database.db
    const rows = await db.selectFrom('request_logs').select('request_id').orderBy('id').execute()
    expect(rows.map((r) => r.request_id)).toEqual(['req-lost-a', 'req-lost-b'])
    const rollups = await db.selectFrom('request_log_rollups').select('requests').execute()
    expect(rollups.reduce((sum, r) => sum + Number(r.requests), 0)).toBe(2)
    expect(writer.stats).toMatchObject({ pending: 0, written: 2 })
  })
})
