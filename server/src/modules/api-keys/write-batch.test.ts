import { describe, expect, it } from 'vitest'
import type { Settlement, WriteOp } from './reservation-sql.js'
import { WriteBatcher, type BatchWrite } from './write-batch.js'

const release = (id: string, apiKeyId = 'key-a'): Settlement => ({
  kind: 'release',
  reservation: { id, apiKeyId, model: 'm', items: [] },
  now: 0,
})

/** A writer that records its batches and answers from `outcome` (or fails every batch). */
function recorder(outcome: (op: WriteOp) => boolean | number | null | Error = () => true) {
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

describe('WriteBatcher', () => {
  it('writes the settlements of one moment as one batch; each caller hears its own outcome', async () => {
    const w = recorder((s) =>
      s.reservation.id === 'bad' ? new Error('no such table') : s.reservation.id !== 'done',
    )
    const batcher = new WriteBatcher(w.write)
    const results = await Promise.allSettled(
      ['a', 'done', 'bad', 'b'].map((id) => batcher.settle(release(id))),
    )
    expect(w.batches).toEqual([['a', 'done', 'bad', 'b']])
    expect(results).toEqual([
      { status: 'fulfilled', value: true },
      { status: 'fulfilled', value: false },
      { status: 'rejected', reason: new Error('no such table') },
      { status: 'fulfilled', value: true },
    ])
  })

  it('takes reservations in the same batch as settlements; each hears its own outcome', async () => {
    const w = recorder((op) =>
      op.kind === 'reserve' ? (op.reservation.id === 'r2' ? 7 : null) : true,
    )
    const batcher = new WriteBatcher(w.write)
    const reserve = (id: string) =>
      batcher.reserve({ kind: 'reserve', reservation: release(id).reservation, now: 0 })
    const outcomes = await Promise.all([
      reserve('r1'),
      batcher.settle(release('s1')),
      reserve('r2'),
    ])
    expect(w.batches).toEqual([['r1', 's1', 'r2']])
    expect(outcomes).toEqual([null, true, 7])
    // A reservation is not a settlement: the sweeper's and settled()'s bookkeeping ignore it.
    expect(batcher.holds('r1')).toBe(false)
  })

  it('gathers the next batch while one is being written', async () => {
    const w = recorder()
    const batcher = new WriteBatcher(w.write)
    const open = w.hold()
    const first = batcher.settle(release('a'))
    await new Promise((r) => setImmediate(r))
    const later = [batcher.settle(release('b')), batcher.settle(release('c'))]
    open()
    await Promise.all([first, ...later])
    expect(w.batches).toEqual([['a'], ['b', 'c']])
  })

  it('holds a reservation while its settlement is queued or written, and not after', async () => {
    const w = recorder(() => new Error('database is locked'))
    const batcher = new WriteBatcher(w.write)
    const open = w.hold()
    const pending = batcher.settle(release('a'))
    expect(batcher.holds('a')).toBe(true)
    expect(batcher.holds('b')).toBe(false)
    open()
    await expect(pending).rejects.toThrow('database is locked')
    // Nothing is kept after a failure: the caller retries, the sweeper may release it later.
    expect(batcher.holds('a')).toBe(false)
  })

  it("settled() waits for that key's settlements only, and does not fail when they did", async () => {
    const w = recorder(() => new Error('gone'))
    const batcher = new WriteBatcher(w.write)
    const open = w.hold()
    const pending = batcher.settle(release('a', 'key-a')).catch(() => 'failed')
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
    const batcher = new WriteBatcher(async (batch) => {
      if (++calls === 1) throw new Error('connection lost')
      return batch.map(() => ({ status: 'fulfilled', value: true }))
    })
    await expect(batcher.settle(release('a'))).rejects.toThrow('connection lost')
    await expect(batcher.settle(release('a'))).resolves.toBe(true)
  })
})
