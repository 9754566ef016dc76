import { describe, expect, it } from 'vitest'
import { exclusiveRunner, migrateToLatest, openDatabase } from '../../src/db/index.js'
import { dialects } from '../support/dialects.js'

const PG = (await dialects()).filter((d) => d.name === 'postgres')

describe.each(PG)('background jobs across replicas ($name)', (dialect) => {
  it('runs a job on one replica at a time and lets the next round run anywhere', async () => {
    const config = await dialect.make('')
    const a = await openDatabase(config)
    const b = await openDatabase(config)
    try {
      await migrateToLatest(a.db)
      const runA = exclusiveRunner(a.db, 'postgres')
      const runB = exclusiveRunner(b.db, 'postgres')
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let ranB = 0
      const first = runA('usage-refresh', () => held)
      await new Promise((r) => setTimeout(r, 100))
      expect(await runB('usage-refresh', async () => void ranB++)).toBe(false)
      expect(await runB('model-registry', async () => void ranB++)).toBe(true)
      release()
      expect(await first).toBe(true)
      expect(await runB('usage-refresh', async () => void ranB++)).toBe(true)
      expect(ranB).toBe(2)
    } finally {
      await a.close()
      await b.close()
    }
  })
})
