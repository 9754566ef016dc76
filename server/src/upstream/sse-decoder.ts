/**
 * Incremental Server-Sent Events decoder (WHATWG HTML §9.2.6 "Interpreting an event stream"), used to
 * observe upstream streams while their original bytes are forwarded untouched. Bytes are split into
 * lines first and only complete lines are UTF-8 decoded: `\r` and `\n` never occur inside a multi-byte
 * sequence, so a character split across chunks is never mangled. Every byte is visited once.
 */

export interface SseEvent {
  /** The `event:` field; absent when the event had none (clients then dispatch on data `type`). */
  event?: string
  /** All `data:` lines joined by `\n`. */
  data: string
  /**
   * Raw bytes from the end of the previous event through this one's blank line. Blocks that dispatch
   * nothing (comment-only keep-alives, data-less events) count towards the next event, so the sizes
   * add up to the input consumed and can be used to cut the original bytes at event boundaries.
   */
  size: number
  /**
   * `parseJsonEvent`'s answer, kept on the event so that its readers (the observer, a translation)
   * parse it once between them; null: not a JSON object. Absent until someone asked.
   */
  json?: Record<string, unknown> | null
}

export interface SseDecoderOptions {
  /** Largest block (raw bytes up to its blank line) accepted before `SseEventTooLargeError`. */
  maxEventBytes?: number
}

/**
 * Thrown by `push`/`end` when an event outgrows `maxEventBytes`. `events` holds the events that were
 * completed earlier in the same call. The decoder is finished afterwards: later calls rethrow.
 */
export class SseEventTooLargeError extends Error {
  readonly code = 'stream_event_too_large'
  readonly limit: number
  readonly events: SseEvent[]

  constructor(limit: number, events: SseEvent[]) {
    super(`SSE event exceeds ${limit} bytes`)
    this.name = 'SseEventTooLargeError'
    this.limit = limit
    this.events = events
  }
}

const LF = 0x0a
const CR = 0x0d
const EMPTY = new Uint8Array(0)

export class SseDecoder {
  private readonly maxEventBytes: number
  private readonly text = new TextDecoder('utf-8', { ignoreBOM: true })
  /** Pieces of the current unterminated line, joined once when its terminator arrives. */
  private pieces: Uint8Array[] = []
  private pieceBytes = 0
  /** The previous chunk ended in `\r`: the pieces form a line whose terminator is not yet known. */
  private pendingCr = false
  private firstLine = true
  private eventType: string | undefined
  private dataLines: string[] = []
  /** Bytes since the last dispatched event: the next event's `size`. */
  private sinceEvent = 0
  /** Bytes of the current block only, so a stream of keep-alives never trips the limit. */
  private blockBytes = 0
  private failure: SseEventTooLargeError | undefined

  constructor(opts: SseDecoderOptions = {}) {
    this.maxEventBytes = opts.maxEventBytes ?? Number.POSITIVE_INFINITY
  }

  push(chunk: Uint8Array): SseEvent[] {
    if (this.failure) throw this.failure
    const out: SseEvent[] = []
    let start = 0
    if (this.pendingCr && chunk.length > 0) {
      this.pendingCr = false
      start = chunk[0] === LF ? 1 : 0
      this.takeLine(EMPTY, 1 + start, out)
    }
    // Line ends by the native byte search rather than a loop over every byte; a chunk without any
    // `\r` (the usual case) costs one search for it. -1 stays -1: `start` only moves forward.
    let cr = chunk.indexOf(CR, start)
    let lf = chunk.indexOf(LF, start)
    while (cr !== -1 || lf !== -1) {
      const i = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
      if (i === cr && i + 1 === chunk.length) {
        // Wait for the next byte: the line ends either way, but a following `\n` is part of its
        // terminator and belongs to this event's size.
        this.keep(chunk, start, i, out)
        this.pendingCr = true
        return out
      }
      const terminator = i === cr && chunk[i + 1] === LF ? 2 : 1
      this.takeLine(chunk.subarray(start, i), terminator, out)
      start = i + terminator
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start)
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start)
    }
    this.keep(chunk, start, chunk.length, out)
    return out
  }

  /** Flushes a final line and event that the stream ended without terminating. */
  end(): SseEvent[] {
    if (this.failure) throw this.failure
    const out: SseEvent[] = []
    if (this.pendingCr) this.takeLine(EMPTY, 1, out)
    else if (this.pieceBytes > 0) this.takeLine(EMPTY, 0, out)
    this.pendingCr = false
    this.dispatch(out)
    return out
  }

  private keep(chunk: Uint8Array, from: number, to: number, out: SseEvent[]): void {
    if (from === to) return
    // Copied: callers may reuse their buffer after push returns.
    this.pieces.push(chunk.slice(from, to))
    this.pieceBytes += to - from
    this.checkSize(this.blockBytes + this.pieceBytes, out)
  }

  private takeLine(tail: Uint8Array, terminator: number, out: SseEvent[]): void {
    const lineBytes = this.pieceBytes + tail.length
    this.sinceEvent += lineBytes + terminator
    this.blockBytes += lineBytes + terminator
    this.checkSize(this.blockBytes, out)
    const first = this.firstLine
    this.firstLine = false
    if (lineBytes === 0) {
      this.dispatch(out)
      return
    }
    let bytes = tail
    if (this.pieces.length > 0) {
      bytes = new Uint8Array(lineBytes)
      let at = 0
      for (const piece of this.pieces) {
        bytes.set(piece, at)
        at += piece.length
      }
      bytes.set(tail, at)
      this.pieces = []
      this.pieceBytes = 0
    }
    let line = this.text.decode(bytes)
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
    this.takeField(line)
  }

  private takeField(line: string): void {
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (name === 'data') this.dataLines.push(value)
    else if (name === 'event') this.eventType = value
    // `id` and `retry` steer EventSource reconnection, which a proxy never does.
  }

  private dispatch(out: SseEvent[]): void {
    // Per the spec a block without data lines (comments, a bare `event:`) dispatches nothing.
    if (this.dataLines.length > 0) {
      const event: SseEvent = { data: this.dataLines.join('\n'), size: this.sinceEvent }
      if (this.eventType !== undefined) event.event = this.eventType
      out.push(event)
      this.sinceEvent = 0
    }
    this.eventType = undefined
    this.dataLines = []
    this.blockBytes = 0
  }

  private checkSize(bytes: number, out: SseEvent[]): void {
    if (bytes <= this.maxEventBytes) return
    this.pieces = []
    this.failure = new SseEventTooLargeError(this.maxEventBytes, out)
    throw this.failure
  }
}

/**
 * The event's data as a JSON object; undefined for `[DONE]`, empty data, non-JSON or non-objects.
 * Parsed on the first call only: later calls (another reader of the same event) get the same object.
 */
export function parseJsonEvent(e: SseEvent): Record<string, unknown> | undefined {
  if (e.json !== undefined) return e.json ?? undefined
  e.json = null
  if (e.data === '' || e.data === '[DONE]') return undefined
  let value: unknown
  try {
    value = JSON.parse(e.data)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  e.json = value as Record<string, unknown>
  return e.json
}
