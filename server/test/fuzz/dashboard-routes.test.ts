import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Tally } from './check.js'
import {
  expectHealthyAndQuiet,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzRoute,
  startFuzzApp,
  tableRoutes,
  type FuzzApp,
} from './fuzz-app.js'

// Issue 15: hostile input on every /api route, with a logged-in session (so it reaches the
// handlers) and with garbage or no cookies: never a 5xx, a hang or a secret, errors always in the
// dashboard envelope. DELETEs run late so the planted account, key and overflow are there before;
// /api/dashboard-auth (each route checks what it needs) comes after, logout last: it revokes the
// session the others use.
describe('fuzz: dashboard routes', () => {
  let app: FuzzApp
  const tally = new Tally()
  const routes = [...tableRoutes('dashboard'), ...tableRoutes('dashboard-auth')]

  beforeAll(async () => {
    app = await startFuzzApp()
  })
  afterAll(async () => app?.close())

  it.each(routes)(
    '%s',
    async (route) => {
      // The password routes get as many as the rest: test servers hash at bcrypt's cheapest cost.
      const runs = route.startsWith('GET') ? 5 : 8
      await fuzzRoute(app, route, runs, tally)
    },
    FUZZ_TEST_TIMEOUT_MS,
  )

  it('reached every route past its guard, and the server is still up with clean logs', async () => {
    console.log(tally.summary())
    expect(tally.unreached(routes)).toEqual([])
    await expectHealthyAndQuiet(app)
  })
})
