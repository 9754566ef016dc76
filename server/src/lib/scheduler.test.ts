import { describe, expect, it } from 'vitest'
import { Scheduler } from './scheduler.js'

describe('Scheduler', () => {
  it('never overlaps runs of one job and logs failures instead of throwing', async () => {
    const warnings: string[] = []
    const scheduler = new Scheduler({ warn: (_o, msg) => warnings.push(msg) })
    let running = 0
    let maxRunning = 0
    let release!: () => void
    const job = {
      name: 'slow',
      intervalMs: 60_000,
      run: async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await new Promise<void>((r) => (release = r))
        running--
        throw new Error('boom')
      },
    }
    const a = scheduler.runNow(job)
    const b = scheduler.runNow(job)
    await new Promise((r) => setTimeout(r, 10))
    release()
    await Promise.all([a, b])
    expect(maxRunning).toBe(1)
    expect(warnings).toEqual(['background job failed'])
    await scheduler.stop()
  })

  it('skips a round when another replica holds the job', async () => {
    let ran = false
    const scheduler = new Scheduler({ warn: () => undefined }, async () => false)
    await scheduler.runNow({ name: 'x', intervalMs: 1000, run: async () => void (ran = true) })
    expect(ran).toBe(false)
  })
})
