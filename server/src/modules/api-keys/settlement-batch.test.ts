import { describe, expect, it } from 'vitest'
import type { Settlement } from './reservation-sql.js'
import { SettlementBatcher, type BatchWrite } from './settlement-batch.js'

const release = (id: string, apiKeyId = 'key-a'): Settlement => ({
  kind: 'release',
  reservation: { id, apiKeyId, model: 'm', items: [] },
  now: 0,
})

/** A writer that records its batches and answers from `outcome` (or fails every batch). */
function recorder(outcome: (s: Settlement) => boolean | Error = () => true) {
  const batches: string[][] = []
  let gate: Promise<void> = Promise.resolve()
  const write: BatchWrite = async (batch) => {
    batches.push(batch.map((s) => s.reservation.id))
    await gate
    return batch.map((s) => {
      const out = outcome(s)
      return out instanceof Error
        ? { status: 'rejected', reason: out }
        : { status: 'fulfilled', value: out }
    })
  }
  const hold = () => {
    let open!: () => void
    gate = new Promise((r) => (open = r))
    return () => open()
  }
  return { batches, write, hold }
}

describe('SettlementBatcher', () => {
  it('writes the settlements of one moment as one batch; each caller hears its own outcome', async () => {
    const w = recorder((s) =>
      s.reservation.id === 'bad' ? new Error('no such table') : s.reservation.id !== 'done',
    )
    const batcher = new SettlementBatcher(w.write)
    const results = await Promise.allSettled(
      ['a', 'done', 'bad', 'b'].map((id) => batcher.submit(release(id))),
    )
    expect(w.batches).toEqual([['a', 'done', 'bad', 'b']])
    expect(results).toEqual([
      { status: 'fulfilled', value: true },
      { status: 'fulfilled', value: false },
      { status: 'rejected', reason: new Error('no such table') },
      { status: 'fulfilled', value: true },
    ])
  })

  it('gathers the next batch while one is being written', async () => {
    const w = recorder()
    const batcher = new SettlementBatcher(w.write)
    const open = w.hold()
    const first = batcher.submit(release('a'))
    await new Promise((r) => setImmediate(r))
    const later = [batcher.submit(release('b')), batcher.submit(release('c'))]
    open()
    await Promise.all([first, ...later])
    expect(w.batches).toEqual([['a'], ['b', 'c']])
  })

  it('holds a reservation while its settlement is queued or written, and not after', async () => {
    const w = recorder(() => new Error('database is locked'))
    const batcher = new SettlementBatcher(w.write)
    const open = w.hold()
    const pending = batcher.submit(release('a'))
    expect(batcher.holds('a')).toBe(true)
    expect(batcher.holds('b')).toBe(false)
    open()
    await expect(pending).rejects.toThrow('database is locked')
    // Nothing is kept after a failure: the caller retries, the sweeper may release it later.
    expect(batcher.holds('a')).toBe(false)
  })

  it("settled() waits for that key's settlements only, and does not fail when they did", async () => {
    const w = recorder(() => new Error('gone'))
    const batcher = new SettlementBatcher(w.write)
    const open = w.hold()
    const pending = batcher.submit(release('a', 'key-a')).catch(() => 'failed')
    let keyA = false
    const waitA = batcher.settled('key-a').then(() => (keyA = true))
    await batcher.settled('key-b')
    await new Promise((r) => setImmediate(r))
    expect(keyA).toBe(false)
    open()
    await waitA
    expect(await pending).toBe('failed')
  })

  it('a writer that throws fails its batch, and the next submit is written', async () => {
    let calls = 0
    const batcher = new SettlementBatcher(async (batch) => {
      if (++calls === 1) throw new Error('connection lost')
      return batch.map(() => ({ status: 'fulfilled', value: true }))
    })
    await expect(batcher.submit(release('a'))).rejects.toThrow('connection lost')
    await expect(batcher.submit(release('a'))).resolves.toBe(true)
  })
})
