import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DashboardClient, ManualClock, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { makeAuthJson, makeTokenSet } from '../support/jwt.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()
const START = Date.UTC(2026, 11, 5, 9, 0, 0)

for (const dialect of DIALECTS) {
  describe(`audit log of account changes (${dialect.name})`, () => {
    let t: TestApp
    let clock: ManualClock
    let api: DashboardClient

    beforeEach(async () => {
      clock = new ManualClock(START)
      t = await startDialectApp(dialect, { clock })
      api = new DashboardClient(t.url)
    })
    afterEach(async () => t.close())

    const upload = async (text: string) => {
      const form = new FormData()
      form.append('auth_json', new Blob([text], { type: 'application/json' }), 'auth.json')
      const res = await fetch(`${t.url}/api/accounts/import`, { method: 'POST', body: form })
      return { status: res.status, body: (await res.json()) as { accountId: string } }
    }

    it('records import, signing in again, edits as from → to, pause, reactivate and removal', async () => {
      const tokens = makeTokenSet({
        email: 'ops@example.com',
        chatgptAccountId: 'ws-ops',
        planType: 'plus',
      })
      const text = JSON.stringify(makeAuthJson(tokens, 'ws-ops'))
      const first = await upload(text)
      expect(first.status).toBe(200)
      const id = first.body.accountId
      const path = `/api/accounts/${encodeURIComponent(id)}`
      clock.advance(1000)
      expect((await upload(text)).status).toBe(200)
      clock.advance(1000)
      expect((await api.patch(path, { alias: 'Ops laptop' })).status).toBe(200)
      clock.advance(1000)
      expect((await api.post(`${path}/pause`)).status).toBe(200)
      clock.advance(1000)
      expect((await api.post(`${path}/reactivate`)).status).toBe(200)
      clock.advance(1000)
      expect((await api.delete(path)).status).toBe(200)
      clock.advance(1000)
      expect((await upload('{"tokens": {}}')).status).toBe(400)

      const { entries } = (await api.get('/api/audit')).body as {
        entries: Array<Record<string, unknown>>
      }
      expect(entries.map((e) => [e.action, e.outcome, e.targetId ?? null])).toEqual([
        ['account.added', 'failure', null],
        ['account.removed', 'success', id],
        ['account.reactivated', 'success', id],
        ['account.paused', 'success', id],
        ['account.updated', 'success', id],
        ['account.reauthenticated', 'success', id],
        ['account.added', 'success', id],
      ])
      expect(entries[1]!.details).toEqual({ email: 'ops@example.com' })
      expect(entries[4]!.details).toEqual({
        email: 'ops@example.com',
        alias: { from: null, to: 'Ops laptop' },
      })
      expect(entries[6]!.details).toMatchObject({ method: 'auth_json', email: 'ops@example.com' })
      expect(entries[0]!.details).toMatchObject({
        method: 'auth_json',
        reason: 'invalid_auth_json',
      })

      const raw = JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().execute())
      for (const token of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
        expect(raw).not.toContain(token)
        expect(raw).not.toContain(token.slice(0, 24))
      }
    })
  })
}
