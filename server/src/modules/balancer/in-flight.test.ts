import { describe, expect, it } from 'vitest'
import { InFlight } from './in-flight.js'

const tracker = (maxQueue = 10, recheckMs = 60_000) => new InFlight({ maxQueue, recheckMs })
const never = new AbortController().signal
const later = () => Date.now() + 60_000

describe('InFlight', () => {
  it('holds at most `cap` slots per account and counts each release once', () => {
    const t = tracker()
    const a = t.tryAcquire('a', 2)
    const b = t.tryAcquire('a', 2)
    expect(t.tryAcquire('a', 2)).toBeUndefined()
    expect(t.tryAcquire('b', 2)).toBeDefined()
    expect(t.counts()).toEqual({ a: 2, b: 1 })
    a!.release()
    a!.release()
    expect(t.count('a')).toBe(1)
    b!.release()
    expect(t.count('a')).toBe(0)
    expect(t.counts()).toEqual({ b: 1 })
  })

  it('hands a freed slot to the oldest waiter, not to a request that arrives after it', async () => {
    const t = tracker()
    const held = t.tryAcquire('a', 1)!
    const first = t.enqueue()!
    const second = t.enqueue()!
    const w1 = first.wait(later(), never)
    const w2 = second.wait(later(), never)
    held.release()
    const got = await w1
    expect(got.kind).toBe('slot')
    expect(t.count('a')).toBe(1)
    expect(t.tryAcquire('a', 1)).toBeUndefined()
    // Not used after all: the next waiter gets it.
    if (got.kind === 'slot') got.lease.release()
    expect((await w2).kind).toBe('slot')
    first.leave()
    second.leave()
    expect(t.queued).toBe(0)
  })

  it('wakes only a waiter that can use the freed account', async () => {
    const t = tracker()
    const onA = t.tryAcquire('a', 1)!
    const onB = t.tryAcquire('b', 1)!
    const wantsB = t.enqueue()!
    wantsB.accepts = (id) => id === 'b'
    const wantsAny = t.enqueue()!
    const w1 = wantsB.wait(later(), never)
    const w2 = wantsAny.wait(later(), never)
    onA.release()
    expect(await w2).toMatchObject({ kind: 'slot', lease: { accountId: 'a' } })
    onB.release()
    expect(await w1).toMatchObject({ kind: 'slot', lease: { accountId: 'b' } })
  })

  it('frees no slot while the account is still above a lowered cap', () => {
    const t = tracker()
    const leases = [t.tryAcquire('a', 3)!, t.tryAcquire('a', 3)!, t.tryAcquire('a', 3)!]
    expect(t.tryAcquire('a', 1)).toBeUndefined()
    const ticket = t.enqueue()!
    void ticket.wait(later(), never)
    leases[0]!.release()
    expect(ticket.waiting).toBe(true)
    expect(t.count('a')).toBe(2)
    leases[1]!.release()
    expect(ticket.waiting).toBe(true)
    leases[2]!.release()
    expect(ticket.waiting).toBe(false)
    ticket.leave()
  })

  it('times out at the deadline, rechecks in between, and ends on abort', async () => {
    const t = tracker(10, 20)
    const ticket = t.enqueue()!
    expect((await ticket.wait(Date.now() + 200, never)).kind).toBe('recheck')
    expect((await ticket.wait(Date.now() + 10, never)).kind).toBe('timeout')
    const controller = new AbortController()
    const waiting = ticket.wait(later(), controller.signal)
    controller.abort()
    expect((await waiting).kind).toBe('aborted')
    ticket.leave()
    expect(t.queued).toBe(0)
  })

  it('refuses a place beyond the longest queue', () => {
    const t = tracker(2)
    expect(t.enqueue()).toBeDefined()
    const second = t.enqueue()!
    expect(t.enqueue()).toBeUndefined()
    second.leave()
    expect(t.enqueue()).toBeDefined()
  })
})
