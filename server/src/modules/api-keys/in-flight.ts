/**
 * Requests in flight per API key, in this process. `tryAcquire` takes a slot when the key is under
 * its cap and hands back a release that gives it back exactly once, however often it is called
 * (settle, release and a settlement retry may all reach it).
 */
export class KeyInFlight {
  readonly #counts = new Map<string, number>()

  /** null when the key already holds `max` slots; with no cap the slot is only counted. */
  tryAcquire(keyId: string, max: number | null): (() => void) | null {
    const held = this.#counts.get(keyId) ?? 0
    if (max !== null && held >= max) return null
    this.#counts.set(keyId, held + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const now = (this.#counts.get(keyId) ?? 1) - 1
      if (now <= 0) this.#counts.delete(keyId)
      else this.#counts.set(keyId, now)
    }
  }

  count(keyId: string): number {
    return this.#counts.get(keyId) ?? 0
  }
}
