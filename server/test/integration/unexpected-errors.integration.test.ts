import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/test-app.js'

// Seed 000 §6.3: an error that is not a domain error (here: the database lost a table) becomes a
// 500 `internal_error` in the envelope of its scope, and its own text never reaches the client.
describe('an unexpected error', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
    await sql`drop table dashboard_settings`.execute(t.database.db)
  })
  afterAll(async () => t.close())

  it('is a 500 internal_error in the dashboard envelope on /api', async () => {
    const res = await fetch(`${t.url}/api/settings`)
    expect(res.status).toBe(500)
    const body = await res.json()
    expect(body).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } })
    expect(JSON.stringify(body)).not.toMatch(/dashboard_settings|no such table|sqlite/i)
  })

  it('is a 500 server_error in the OpenAI envelope on the proxy routes', async () => {
    const res = await fetch(`${t.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.5', input: 'hi' }),
    })
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ type: 'server_error', code: 'server_error' })
    expect(JSON.stringify(body)).not.toMatch(/dashboard_settings|no such table|sqlite/i)
  })
})
