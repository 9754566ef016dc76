import type { FakeAccount } from './types.js'

/**
 * Requests each account has open at the fake right now, and the most it ever had at once: the
 * upstream's own log, so a test can prove a cap held under load. A Codex request counts from its
 * arrival until its response (or WebSocket turn) ends, however it ends.
 */
export class ConcurrencyLog {
  private readonly open = new Map<FakeAccount, number>()
  private readonly peak = new Map<FakeAccount, number>()

  /** Counts one request in; the returned function counts it out (once, however often called). */
  enter(account: FakeAccount): () => void {
    const now = (this.open.get(account) ?? 0) + 1
    this.open.set(account, now)
    this.peak.set(account, Math.max(now, this.peak.get(account) ?? 0))
    let done = false
    return () => {
      if (done) return
      done = true
      this.open.set(account, (this.open.get(account) ?? 1) - 1)
    }
  }

  current(account: FakeAccount): number {
    return this.open.get(account) ?? 0
  }

  max(account: FakeAccount): number {
    return this.peak.get(account) ?? 0
  }

  /** Forgets the peaks (open requests stay counted). */
  resetPeaks(): void {
    this.peak.clear()
  }
}
