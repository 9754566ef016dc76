import type { ClientSession } from './client-session.js'

/** The open client sockets, so shutdown can let their turns finish and then close them. */
export class WebSocketSessions {
  readonly #open = new Set<ClientSession>()
  #draining = false

  get draining(): boolean {
    return this.#draining
  }

  get size(): number {
    return this.#open.size
  }

  add(session: ClientSession): void {
    this.#open.add(session)
  }

  remove(session: ClientSession): void {
    this.#open.delete(session)
  }

  /**
   * Takes no new turns, waits for running ones up to `deadlineMs`, then closes every socket with
   * 1012 so the CLI reconnects to another replica (or this one once it is back).
   */
  async drain(deadlineMs: number): Promise<void> {
    this.#draining = true
    const running = [...this.#open].map((s) => {
      s.drain()
      return s.pending
    })
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs)
    })
    await Promise.race([Promise.allSettled(running), deadline])
    clearTimeout(timer)
    for (const s of this.#open) s.close(1012, 'server restarting')
  }
}
