import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Tally } from './check.js'
import {
  expectHealthyAndQuiet,
  fuzzRoute,
  startFuzzApp,
  tableRoutes,
  type FuzzApp,
} from './fuzz-app.js'

// Issue 15: hostile input on /api/dashboard-auth (no session guard: each route checks what it
// needs), with the logged-in session and with garbage cookies: never a 5xx, a hang or a secret,
// errors in the dashboard envelope. Logout runs last: it revokes the session the others use.
describe('fuzz: dashboard-auth routes', () => {
  let app: FuzzApp
  const tally = new Tally()
  const routes = tableRoutes('dashboard-auth')

  beforeAll(async () => {
    app = await startFuzzApp()
  })
  afterAll(async () => app?.close())

  it.each(routes)('%s', async (route) => {
    await fuzzRoute(app, route, 20, tally)
  })

  it('reached every route handler, and the server is still up with clean logs', async () => {
    console.log(tally.summary())
    expect(tally.unreached(routes)).toEqual([])
    await expectHealthyAndQuiet(app)
  })
})
