import { SseDecoder, SseEventTooLargeError, type SseEvent } from './sse-decoder.js'

export interface Framed {
  /** Bytes of the events completed by this push, exactly as received; null when none completed. */
  bytes: Buffer | null
  events: SseEvent[]
  /** Set when an event outgrew the cap: `bytes`/`events` hold what came before it, and the stream
   * cannot go on. */
  overflow?: SseEventTooLargeError
}

const LF = 0x0a
const CR = 0x0d
const COLON = 0x3a

/**
 * Splits a byte stream at event boundaries: bytes go out as soon as the event they belong to is
 * complete, unchanged. Holding back a torn event means a failure we append later (idle timeout,
 * dropped connection) never lands in the middle of one. Comment lines (keep-alives) are not part of
 * any event: they go out at once, so a client's idle timer sees them.
 */
export class SseFramer {
  readonly #decoder: SseDecoder
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Bytes at the start of `#pending` already sent (comment lines ahead of the next event). */
  #sent = 0

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
    const unsent = this.#pendingBytes - this.#sent
    if (unsent <= 0 || events.length === 0) return { bytes: null, events }
    const rest = Buffer.concat([...this.#pending, Buffer.from('\n\n')]).subarray(this.#sent)
    this.#pending = []
    this.#pendingBytes = 0
    this.#sent = 0
    return { bytes: rest, events }
  }

  /** The unsent bytes start inside an event (not at a comment or blank line that could go out). */
  #midEvent(): boolean {
    const first = this.#pending[0]
    if (first === undefined || first.length <= this.#sent) return false
    const byte = first[this.#sent]
    return byte !== COLON && byte !== LF && byte !== CR
  }

  /** Bytes received and not yet sent: the torn event being held back. */
  get heldBytes(): number {
    return this.#pendingBytes - this.#sent
  }

  #take(events: SseEvent[]): Framed {
    // An event still arriving: nothing to send, and its pieces are joined once, when it completes
    // (joining them at every push would copy a large event over and over).
    if (events.length === 0 && this.#midEvent()) return { bytes: null, events }
    let n = 0
    for (const e of events) n += e.size
    const all = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending)
    const from = this.#sent
    // Whole events end at `n`; comment lines right after them may go too.
    const upTo = commentLinesEnd(all, Math.max(n, from))
    const rest = all.subarray(n)
    this.#pending = rest.length ? [rest] : []
    this.#pendingBytes = rest.length
    this.#sent = upTo - n
    return { bytes: upTo > from ? all.subarray(from, upTo) : null, events }
  }
}

/**
 * End of the run of complete comment (`:`) or blank lines starting at `start`, which must be a line
 * start. Only LF-terminated lines count: a trailing CR may be half of a CRLF still on its way.
 */
function commentLinesEnd(buf: Buffer, start: number): number {
  let pos = start
  while (pos < buf.length) {
    const first = buf[pos]
    if (first !== COLON && first !== LF && first !== CR) break
    const nl = buf.indexOf(LF, pos)
    if (nl < 0) break
    // A blank line (LF or CRLF) or a comment line: both carry no event data.
    if (first === CR && nl !== pos + 1) break
    pos = nl + 1
  }
  return pos
}
