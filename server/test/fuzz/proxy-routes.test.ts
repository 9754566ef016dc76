import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fuzzParams } from '../support/fuzz.js'
import { refusedUpgrade, wsUrl } from '../support/ws-client.js'
import { Tally } from './check.js'
import {
  expectHealthyAndQuiet,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzRoute,
  startFuzzApp,
  tableRoutes,
  type FuzzApp,
} from './fuzz-app.js'
import { registeredRoutes, ROUTE_TABLE } from './routes.js'
import { exchange, FIXED_FRAMES, hostileFrame } from './ws-frames.js'

// Issue 15: hostile input on the proxy routes (/v1, /backend-api/codex, /api/codex/usage), the
// root ones (health, metrics, the dashboard's files) and the Responses WebSocket never yields a
// 5xx, a hang, a secret or an error outside the OpenAI envelope, with the API key (or account
// token) and without.
describe('fuzz: proxy, root and WebSocket routes', () => {
  let app: FuzzApp
  const tally = new Tally()
  const routes = [...tableRoutes('proxy'), ...tableRoutes('codex-usage'), ...tableRoutes('root')]
  const seen = new Map<string, number>()

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

  it.each(routes)(
    '%s',
    async (route) => {
      const runs = route.startsWith('POST') ? 12 : 5
      await fuzzRoute(app, route, runs, tally)
    },
    FUZZ_TEST_TIMEOUT_MS,
  )

  // Each frame gets an error event (below 500, OpenAI shape), the end of a turn, or a proper close.
  it.each(['/v1/responses', '/backend-api/codex/responses'])(
    'WebSocket frames on %s',
    async (path) => {
      const headers = { authorization: `Bearer ${app.apiKey.key}` }
      await fc.assert(
        fc.asyncProperty(fc.array(hostileFrame, { minLength: 1, maxLength: 3 }), async (frames) => {
          const { problems, outcomes, text } = await exchange(wsUrl(app.url, path), headers, frames)
          for (const o of outcomes) seen.set(o, (seen.get(o) ?? 0) + 1)
          for (const secret of app.secrets()) {
            if (text.includes(secret)) problems.push('a secret in a frame')
          }
          if (problems.length > 0) throw new Error(problems.join('; '))
        }),
        {
          ...fuzzParams(12),
          // fast-check counts examples among numRuns: 12 stays the number of random sequences.
          numRuns: fuzzParams(12).numRuns + FIXED_FRAMES.length,
          examples: FIXED_FRAMES.map((f) => [[f]]),
          includeErrorInReport: true,
        },
      )
    },
  )

  it(
    'refuses a WebSocket upgrade with a bad key in the OpenAI envelope',
    async () => {
      for (const authorization of ['Bearer nope', 'Basic Og==', '']) {
        const refused = await refusedUpgrade(wsUrl(app.url, '/v1/responses'), { authorization })
        expect(refused.status).toBe(401)
        expect(refused.body).toMatchObject({ error: { type: 'authentication_error' } })
      }
    },
    FUZZ_TEST_TIMEOUT_MS,
  )

  it('reached every route and saw WebSocket errors, turns and closes; still up, clean logs', async () => {
    console.log(
      `${tally.summary()}\nWebSocket: ${[...seen].map(([o, n]) => `${o}×${n}`).join(' ')}`,
    )
    expect(tally.unreached(routes)).toEqual([])
    for (const outcome of ['error 400', 'response.completed', 'close 1007']) {
      expect(seen.get(outcome), outcome).toBeGreaterThan(0)
    }
    await expectHealthyAndQuiet(app)
  })
})
