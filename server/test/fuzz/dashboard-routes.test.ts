import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Tally } from './check.js'
import {
  expectHealthyAndQuiet,
  fuzzRoute,
  startFuzzApp,
  tableRoutes,
  type FuzzApp,
} from './fuzz-app.js'

// Issue 15: hostile input on every guarded /api route, with a logged-in session (so it reaches the
// handlers) and with garbage or no cookies: never a 5xx, a hang or a secret, errors always in the
// dashboard envelope. DELETEs run last so the planted account, key and overflow are there before.
describe('fuzz: dashboard routes', () => {
  let app: FuzzApp
  const tally = new Tally()
  const routes = tableRoutes('dashboard')

  beforeAll(async () => {
    app = await startFuzzApp()
  })
  afterAll(async () => app?.close())

  it.each(routes)('%s', async (route) => {
    await fuzzRoute(app, route, route.startsWith('GET') ? 8 : 15, tally)
  })

  it('reached every route past the session guard, and the server is still up with clean logs', async () => {
    console.log(tally.summary())
    expect(tally.unreached(routes)).toEqual([])
    await expectHealthyAndQuiet(app)
  })
})
