import pg from 'pg'
import pino from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PgNotifyBus } from '../../src/modules/cluster/pg-bus.js'
import { freshPostgresUrl, postgresAvailability } from '../support/dialects.js'

const { available } = await postgresAvailability()
const log = pino({ level: 'silent' })

describe.skipIf(!available)('PgNotifyBus', () => {
  const buses: PgNotifyBus[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    await Promise.all(buses.splice(0).map((b) => b.close()))
  })

  it('a burst of publishes reaches the peer in order, one query at a time on its connection', async () => {
    // How many queries each pg client has running at once (pg only queues a second one, with a
    // deprecation warning, and pg 9 refuses it).
    const running = new Map<pg.Client, number>()
    let most = 0
    const query = pg.Client.prototype.query
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const now = (running.get(this) ?? 0) + 1
      running.set(this, now)
      most = Math.max(most, now)
      const done = () => running.set(this, (running.get(this) ?? 1) - 1)
      const result = (query as (...a: unknown[]) => unknown).apply(this, args)
      if (result instanceof Promise) result.then(done, done)
      else done()
      return result as never
    })
    const url = await freshPostgresUrl()
    const sender = new PgNotifyBus(url, log)
    const receiver = new PgNotifyBus(url, log)
    buses.push(sender, receiver)
    await Promise.all([sender.ready, receiver.ready])
    const keys: string[] = []
    receiver.subscribe(
      (m) => keys.push(m.key ?? ''),
      () => undefined,
    )
    const sent = Array.from({ length: 300 }, (_, i) => `thread-${i}`)
    for (const key of sent) sender.publish({ topic: 'pin', key })
    await expect.poll(() => keys.length, { timeout: 10_000 }).toBe(sent.length)
    expect(keys).toEqual(sent)
    expect(most).toBe(1)
  })
})
