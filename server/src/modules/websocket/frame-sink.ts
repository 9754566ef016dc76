import { Writable } from 'node:stream'
import type { WebSocket } from 'ws'
import { SseDecoder, type SseEvent } from '../../upstream/sse-decoder.js'
import type { TurnActivity } from './activity.js'
import { sendText } from './client-send.js'

type Done = (error?: Error | null) => void

/**
 * Where the proxy's relay writes an HTTP SSE upstream stream for a WebSocket client: each event's
 * data goes out as one text frame, in order, as it arrives (the relay's observer, in-band failure
 * events and attempt log stay the HTTP path's).
 */
export class FrameSink extends Writable {
  readonly #decoder = new SseDecoder()
  constructor(
    private readonly socket: WebSocket,
    private readonly activity: TurnActivity,
  ) {
    super()
    // The client hung up: a destroyed target is how the relay learns it and logs client_closed.
    const hungUp = () => this.destroy()
    socket.once('close', hungUp)
    // One sink per turn on a long-lived socket: leave no listener behind when the turn ends.
    this.once('close', () => socket.off('close', hungUp))
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
      this.activity.touch()
      sendText(this.socket, event.data, sent)
    }
  }
}
