import { Writable } from 'node:stream'
import type { WebSocket } from 'ws'
import { isRecord } from '../../lib/json.js'
import { parseJsonEvent, SseDecoder, type SseEvent } from '../../upstream/sse-decoder.js'

type Done = (error?: Error | null) => void

/** The events the conversation record reads; deltas pass by unparsed. */
const NOTED = new Set(['response.created', 'response.output_item.done', 'response.completed'])
const NOTED_TYPES = [...NOTED].map((t) => `"${t}"`)

/**
 * Where the proxy's relay writes a Responses stream for a WebSocket client: each SSE event's data
 * goes out as one text frame, in order, as it arrives (the relay's observer, in-band failure events
 * and attempt log stay the HTTP path's). On the side it keeps what the conversation record needs:
 * the response id and the output items, read only from the few events that carry them.
 */
export class FrameSink extends Writable {
  readonly #decoder = new SseDecoder()
  readonly output: unknown[] = []
  responseId: string | undefined
  outputBytes = 0
  frames = 0

  constructor(private readonly socket: WebSocket) {
    super()
    // The client hung up: a destroyed target is how the relay learns it and logs client_closed.
    socket.once('close', () => this.destroy())
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: Done): void {
    this.#send(this.#decoder.push(chunk), done)
  }

  override _final(done: Done): void {
    this.#send(this.#decoder.end(), done)
  }

  #send(events: SseEvent[], done: Done): void {
    if (events.length === 0) return done()
    let pending = events.length
    let failed: Error | undefined
    // Done once the last frame is handed to the socket: the relay waits, which is backpressure.
    const sent = (err?: Error) => {
      failed ??= err
      if (--pending === 0) done(failed ?? null)
    }
    for (const event of events) {
      this.#note(event)
      this.frames++
      this.socket.send(event.data, { binary: false }, sent)
    }
  }

  #note(event: SseEvent): void {
    const noted =
      event.event !== undefined
        ? NOTED.has(event.event)
        : NOTED_TYPES.some((t) => event.data.includes(t))
    if (!noted) return
    const payload = parseJsonEvent(event)
    if (!payload) return
    const type = payload['type']
    if (type === 'response.output_item.done' && isRecord(payload['item'])) {
      this.output.push(payload['item'])
      this.outputBytes += event.data.length
    } else if (type === 'response.created' || type === 'response.completed') {
      const response = payload['response']
      if (isRecord(response) && typeof response['id'] === 'string') this.responseId = response['id']
    }
  }
}
