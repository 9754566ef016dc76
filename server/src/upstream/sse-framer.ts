import { SseDecoder, SseEventTooLargeError, type SseEvent } from './sse-decoder.js'

export interface Framed {
  /** Bytes of the events completed by this push, exactly as received; null when none completed. */
  bytes: Buffer | null
  events: SseEvent[]
  /** Set when an event outgrew the cap: `bytes`/`events` hold what came before it, and the stream
   * cannot go on. */
  overflow?: SseEventTooLargeError
}

/**
 * Splits a byte stream at event boundaries: bytes go out as soon as the event they belong to is
 * complete, unchanged. Holding back a torn event means a failure we append later (idle timeout,
 * dropped connection) never lands in the middle of one.
 */
export class SseFramer {
  readonly #decoder: SseDecoder
  #pending: Buffer[] = []
  #pendingBytes = 0

  constructor(maxEventBytes: number) {
    this.#decoder = new SseDecoder({ maxEventBytes })
  }

  push(chunk: Uint8Array): Framed {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
    this.#pending.push(buf)
    this.#pendingBytes += buf.length
    try {
      return this.#take(this.#decoder.push(buf))
    } catch (err) {
      if (!(err instanceof SseEventTooLargeError)) throw err
      return { ...this.#take(err.events), overflow: err }
    }
  }

  /** Flushes a final unterminated event (terminated properly for the client). */
  end(): Framed {
    const events = this.#decoder.end()
    if (this.#pendingBytes === 0) return { bytes: null, events }
    const rest = Buffer.concat([...this.#pending, Buffer.from('\n\n')])
    this.#pending = []
    this.#pendingBytes = 0
    return { bytes: events.length ? rest : null, events }
  }

  get heldBytes(): number {
    return this.#pendingBytes
  }

  #take(events: SseEvent[]): Framed {
    let n = 0
    for (const e of events) n += e.size
    if (n === 0) return { bytes: null, events }
    const all = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending)
    const bytes = all.subarray(0, n)
    const rest = all.subarray(n)
    this.#pending = rest.length ? [rest] : []
    this.#pendingBytes = rest.length
    return { bytes, events }
  }
}
