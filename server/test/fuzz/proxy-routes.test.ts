import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Tally } from './check.js'
import {
  expectHealthyAndQuiet,
  fuzzRoute,
  startFuzzApp,
  tableRoutes,
  type FuzzApp,
} from './fuzz-app.js'
import { registeredRoutes, ROUTE_TABLE } from './routes.js'

// Issue 15: hostile input on the proxy routes (/v1, /backend-api/codex, /api/codex/usage) and the
// root ones (health, metrics, the dashboard's files) never yields a 5xx, a hang, a secret or an
// error outside the OpenAI envelope, with the API key (or account token) and without.
describe('fuzz: proxy and root routes', () => {
  let app: FuzzApp
  const tally = new Tally()
  const routes = [...tableRoutes('proxy'), ...tableRoutes('codex-usage'), ...tableRoutes('root')]

  beforeAll(async () => {
    app = await startFuzzApp()
  })
  afterAll(async () => app?.close())

  // The table is Fastify's own route list (metrics and a built dashboard on): a route added
  // without a fuzz spec fails here, and so does a spec left behind.
  it('has a fuzz spec for every route the app registers, and no other', () => {
    const registered = registeredRoutes(app.h.t.app)
    expect(registered.length).toBeGreaterThan(80)
    expect(registered.filter((route) => !(route in ROUTE_TABLE))).toEqual([])
    expect(Object.keys(ROUTE_TABLE).filter((route) => !registered.includes(route))).toEqual([])
  })

  it.each(routes)('%s', async (route) => {
    await fuzzRoute(app, route, route.startsWith('POST') ? 25 : 12, tally)
  })

  it('reached every route past its guard, and the server is still up with clean logs', async () => {
    console.log(tally.summary())
    expect(tally.unreached(routes)).toEqual([])
    await expectHealthyAndQuiet(app)
  })
})
