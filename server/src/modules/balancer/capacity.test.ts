import { describe, expect, it } from 'vitest'
import type { AccountState } from './account-state.js'
import { RequestCapacity } from './capacity.js'
import type { AccountGate } from './exclusions.js'
import { InFlight, type Lease } from './in-flight.js'
import { selectAccount } from './select-account.js'
import { accountState } from '../../../test/support/account-state.js'

const NOW = Date.UTC(2026, 11, 5, 13, 0)
const never = new AbortController().signal
const aborted = () => new Error('client left')

const acct = (id: string, maxStreams: number | null = null) => accountState(id, { maxStreams })

function setup(defaultCap: number, opts: { waitMs?: number; maxQueue?: number } = {}) {
  const inFlight = new InFlight({ maxQueue: opts.maxQueue ?? 10, recheckMs: 60_000 })
  const capacity = (signal = never) =>
    new RequestCapacity(inFlight, { defaultCap, waitMs: opts.waitMs ?? 60_000, signal, aborted })
  return { inFlight, capacity }
}

/** Selection over `accounts` with this request's cap gate, as the proxy runs it. */
function pick(c: RequestCapacity, accounts: AccountState[], tried: Set<string> = new Set()) {
  const select = () =>
    Promise.resolve(
      selectAccount(accounts, NOW, { preferEarlierReset: false, exclude: tried, gates: [c.gate] }),
    )
  return c.pick(select, tried)
}

const picked = (p: Awaited<ReturnType<typeof pick>>) =>
  p.selection.kind === 'selected' ? p.selection.account.id : p.selection.reason

describe('RequestCapacity', () => {
  it('keeps an account at its cap out; its own cap beats the global one', async () => {
    const { inFlight, capacity } = setup(2, { waitMs: 1 })
    const [a, b] = [acct('a'), acct('b', 1)]
    inFlight.tryAcquire('b', 1)
    const first = await pick(capacity(), [a, b])
    expect(picked(first)).toBe('a')
    expect(first.lease?.accountId).toBe('a')
    inFlight.tryAcquire('a', 2)
    expect(inFlight.counts()).toEqual({ a: 2, b: 1 })
    const c = capacity()
    expect(picked(await pick(c, [a, b]))).toBe('at_capacity')
    expect(inFlight.queued).toBe(0)
  })

  it('waits in the queue and takes the slot a release hands over', async () => {
    const { inFlight, capacity } = setup(1)
    const a = acct('a')
    const held = inFlight.tryAcquire('a', 1)!
    const c = capacity()
    const waiting = pick(c, [a])
    await Promise.resolve()
    expect(inFlight.queued).toBe(1)
    held.release()
    const got = await waiting
    expect(picked(got)).toBe('a')
    expect(inFlight.count('a')).toBe(1)
    expect(inFlight.queued).toBe(0)
    got.lease!.release()
    expect(inFlight.counts()).toEqual({})
  })

  it('answers after the wait with the exhaustion and how long it waited', async () => {
    const { inFlight, capacity } = setup(1, { waitMs: 30 })
    inFlight.tryAcquire('a', 1)
    inFlight.tryAcquire('b', 1)
    const c = capacity()
    const r = await pick(c, [acct('a'), acct('b')])
    expect(r.selection).toMatchObject({ kind: 'exhausted', reason: 'at_capacity' })
    expect(r.selection.kind === 'exhausted' && r.selection.message).toBe(
      'Every account that can serve this request is busy (2 accounts are at their concurrency cap). No slot freed up within 0s. Try again shortly.',
    )
    expect(inFlight.queued).toBe(0)
  })

  it('is refused at once when the queue is full', async () => {
    const { inFlight, capacity } = setup(1, { maxQueue: 1 })
    inFlight.tryAcquire('a', 1)
    const controller = new AbortController()
    const first = pick(capacity(controller.signal), [acct('a')])
    await Promise.resolve()
    const r = await pick(capacity(), [acct('a')])
    expect(r.selection.kind === 'exhausted' && r.selection.message).toContain(
      'The queue for a free slot is full (1 requests waiting).',
    )
    controller.abort()
    expect((await first).aborted).toBe(true)
    expect(inFlight.queued).toBe(0)
  })

  it('leaves the queue when the client goes away', async () => {
    const { inFlight, capacity } = setup(1)
    inFlight.tryAcquire('a', 1)
    const controller = new AbortController()
    const c = capacity(controller.signal)
    const waiting = pick(c, [acct('a')])
    await Promise.resolve()
    controller.abort()
    expect((await waiting).aborted).toBe(true)
    expect(inFlight.queued).toBe(0)
    expect(inFlight.counts()).toEqual({ a: 1 })
  })

  it('does not wait for an account it already tried', async () => {
    const { inFlight, capacity } = setup(1)
    const onA = inFlight.tryAcquire('a', 1)!
    const onB = inFlight.tryAcquire('b', 1)!
    const c = capacity()
    const waiting = pick(c, [acct('a'), acct('b')], new Set(['a']))
    await Promise.resolve()
    onA.release()
    expect(inFlight.count('a')).toBe(0)
    onB.release()
    const got = await waiting
    expect(picked(got)).toBe('b')
    got.lease!.release()
    expect(inFlight.counts()).toEqual({})
  })

  it('holds the slot through an opened attempt and gives it back when nothing opened', async () => {
    const { inFlight, capacity } = setup(2)
    const pool = {
      select: (o: { exclude: Set<string>; gates?: readonly AccountGate[] }) =>
        Promise.resolve(selectAccount([acct('a')], NOW, { preferEarlierReset: false, ...o })),
    }
    const c = capacity()
    await c.select(pool, { exclude: new Set<string>() })
    let held: Lease | undefined
    await c.holding((lease) => Promise.resolve({ kind: 'opened', held: (held = lease) }))
    expect(inFlight.count('a')).toBe(1)
    await c.select(pool, { exclude: new Set<string>() })
    await c.holding(() => Promise.resolve({ kind: 'retry' }))
    await c.select(pool, { exclude: new Set<string>() })
    await expect(c.holding(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(inFlight.count('a')).toBe(1)
    held!.release()
    expect(inFlight.counts()).toEqual({})
  })

  it('waits instead of spinning when a pick keeps filling up under it', async () => {
    const { inFlight, capacity } = setup(1, { waitMs: 30 })
    inFlight.tryAcquire('a', 1)
    // A selection that ignores the cap gate: the slot can never be taken.
    const selected = { kind: 'selected' as const, account: acct('a'), sticky: false }
    let selects = 0
    const r = await capacity().pick(() => Promise.resolve((selects++, selected)), new Set())
    expect(r.selection).toMatchObject({ kind: 'exhausted', reason: 'at_capacity' })
    expect(selects).toBe(3)
    expect(inFlight.queued).toBe(0)
  })
})
