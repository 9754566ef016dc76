import { CompiledQuery } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RequestLogsRepository, type LogFilter } from '../../src/modules/request-logs/index.js'
import { startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import type { TestApp } from '../support/test-app.js'

const SQLITE = (await dialects()).find((d) => d.name === 'sqlite')!
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0)

const EMPTY_FILTER: LogFilter = {
  search: null,
  accountIds: [],
  apiKeyIds: [],
  statuses: [],
  models: [],
  reasoningEfforts: [],
  modelOptions: [],
  since: null,
  until: null,
}

describe('request-logs query plans (sqlite)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startDialectApp(SQLITE)
  })
  afterAll(async () => t.close())

  const plan = async (filter: LogFilter) => {
    const compiled = new RequestLogsRepository(t.database.db).pageQuery(filter, 50, 0).compile()
    const result = await t.database.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    )
    return result.rows.map((r) => r.detail)
  }

  it('serves the default page from the requested_at index, without a sort', async () => {
    const lines = await plan(EMPTY_FILTER)
    expect(lines.join('\n')).toMatch(/SCAN l USING (COVERING )?INDEX idx_logs_requested_at/)
    expect(lines.join('\n')).not.toMatch(/TEMP B-TREE/)
  })

  it('serves the dashboard default (last 24 h) as an index range search', async () => {
    const lines = await plan({ ...EMPTY_FILTER, since: T0 })
    expect(lines.join('\n')).toMatch(/SEARCH l USING (COVERING )?INDEX idx_logs_requested_at/)
    expect(lines.join('\n')).not.toMatch(/TEMP B-TREE/)
  })

  it('narrows by account through the account/time index', async () => {
    const lines = await plan({ ...EMPTY_FILTER, accountIds: ['a'] })
    expect(lines.join('\n')).toMatch(/USING (COVERING )?INDEX idx_logs_account_time/)
  })
})
