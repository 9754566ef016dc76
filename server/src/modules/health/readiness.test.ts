import { describe, expect, it } from 'vitest'
import { Readiness, type ReadinessDeps } from './readiness.js'

function setup(overrides: Partial<ReadinessDeps> = {}) {
  const time = { now: 0 }
  const calls = { ping: 0, migrations: 0 }
  let draining = false
  let pingResult: () => Promise<void> = async () => undefined
  const readiness = new Readiness({
    ping: () => {
      calls.ping++
      return pingResult()
    },
    appliedMigrations: async () => {
      calls.migrations++
      return ['a', 'b']
    },
    expectedMigrations: ['a', 'b'],
    draining: () => draining,
    clock: { now: () => time.now },
    timeoutMs: 50,
    cacheMs: 1000,
    ...overrides,
  })
  return {
    readiness,
    time,
    calls,
    drain: () => (draining = true),
    pingWith: (fn: () => Promise<void>) => (pingResult = fn),
  }
}

describe('Readiness', () => {
  it('is ready when the database answers, migrations are applied and nothing drains', async () => {
    const { readiness } = setup()
    expect(await readiness.check()).toEqual({
      ready: true,
      checks: { database: 'ok', migrations: 'ok', draining: false },
    })
  })

  it('reuses a probe for a second, and asks about migrations only until they are all applied', async () => {
    const { readiness, time, calls } = setup()
    await readiness.check()
    time.now = 999
    await Promise.all([readiness.check(), readiness.check()])
    expect(calls).toEqual({ ping: 1, migrations: 1 })
    time.now = 1000
    await readiness.check()
    expect(calls).toEqual({ ping: 2, migrations: 1 })
  })

  it('turns not ready at once when draining begins, even with a cached probe', async () => {
    const { readiness, drain } = setup()
    await readiness.check()
    drain()
    expect(await readiness.check()).toEqual({
      ready: false,
      checks: { database: 'ok', migrations: 'ok', draining: true },
    })
  })

  it('says which migration state keeps it not ready', async () => {
    const { readiness } = setup({ appliedMigrations: async () => ['a'] })
    expect((await readiness.check()).checks.migrations).toBe('pending')
  })

  it('reports an unreachable database, then recovers when it answers again', async () => {
    const { readiness, time, pingWith } = setup()
    pingWith(async () => {
      throw new Error('connect ECONNREFUSED')
    })
    expect(await readiness.check()).toMatchObject({
      ready: false,
      checks: { database: 'unreachable' },
    })
    pingWith(async () => undefined)
    time.now = 1000
    expect((await readiness.check()).ready).toBe(true)
  })

  it('gives up on a hanging database after the timeout and never stacks a second query', async () => {
    const { readiness, time, calls, pingWith } = setup()
    pingWith(() => new Promise<void>(() => undefined))
    expect((await readiness.check()).checks.database).toBe('timeout')
    time.now = 5000
    expect((await readiness.check()).checks.database).toBe('timeout')
    expect(calls.ping).toBe(1)
  })
})
