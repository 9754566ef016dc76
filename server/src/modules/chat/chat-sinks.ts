import { once } from 'node:events'
import { Writable } from 'node:stream'
import { parseJsonEvent, SseDecoder, type SseEvent } from '../../upstream/sse-decoder.js'
import { ChatCompletionBuilder } from './chat-completion.js'
import type { ChatStreamTranslator } from './chat-stream.js'
import type { EventWriter } from '../proxy/stream-relay.js'
import type { ChatCompletion, ChatStreamOutput } from './chat-types.js'

type Done = (error?: Error | null) => void

function translateEvents(
  translator: ChatStreamTranslator,
  events: readonly SseEvent[],
): ChatStreamOutput[] {
  const out: ChatStreamOutput[] = []
  for (const event of events) {
    const payload = parseJsonEvent(event)
    if (payload) out.push(...translator.push(payload))
  }
  return out
}

/**
 * Where the proxy's relay sends a Responses stream for a streaming Chat client: the events are
 * translated as they come, one at a time, and sent as `data: <chunk>` lines with backpressure, then
 * `data: [DONE]`. The relay hands over the events it already decoded for its observer (and their
 * payloads parsed once, see `parseJsonEvent`); bytes written to it are decoded here. The relay (and
 * its observer, attempt log and in-band failure events) stays the one used by `/v1/responses`, so
 * Chat gets the same accounting.
 */
export class ChatSseSink extends Writable implements EventWriter {
  readonly #decoder = new SseDecoder()

  constructor(
    private readonly translator: ChatStreamTranslator,
    private readonly res: Writable,
  ) {
    super()
    // The client hung up: a destroyed target is how the relay learns it and logs client_closed.
    res.once('close', () => {
      if (!res.writableFinished) this.destroy()
    })
  }

  writeEvents(events: readonly SseEvent[]): Promise<boolean> {
    if (this.destroyed) return Promise.resolve(false)
    return new Promise((resolve) =>
      this.#deliver(translateEvents(this.translator, events), () => resolve(!this.destroyed)),
    )
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: Done): void {
    this.#deliver(translateEvents(this.translator, this.#decoder.push(chunk)), done)
  }

  override _final(done: Done): void {
    this.#deliver(translateEvents(this.translator, this.#decoder.end()), () => {
      if (!this.res.destroyed) this.res.end('data: [DONE]\n\n')
      done()
    })
  }

  #deliver(out: ChatStreamOutput[], done: Done): void {
    if (out.length === 0 || this.res.destroyed) return done()
    const text = out.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')
    if (this.res.write(text)) return done()
    // Hold the relay (and so the upstream reads) until the client has taken the bytes.
    Promise.race([once(this.res, 'drain'), once(this.res, 'close')]).then(
      () => done(),
      () => done(),
    )
  }
}

/**
 * Non-streaming Chat: the bytes of a stream read to its end, translated by the same translator and
 * folded into one `chat.completion` (an upstream failure is thrown as an HTTP error).
 */
export function foldChatCompletion(
  translator: ChatStreamTranslator,
  bytes: readonly Buffer[],
): ChatCompletion {
  const decoder = new SseDecoder()
  const builder = new ChatCompletionBuilder()
  const fold = (events: SseEvent[]) => {
    for (const out of translateEvents(translator, events)) builder.add(out)
  }
  for (const chunk of bytes) fold(decoder.push(chunk))
  fold(decoder.end())
  return builder.build()
}
