import { once } from 'node:events'
import { Writable } from 'node:stream'
import { parseJsonEvent, SseDecoder } from '../../upstream/sse-decoder.js'
import { ChatCompletionBuilder } from './chat-completion.js'
import type { ChatStreamTranslator } from './chat-stream.js'
import type { ChatStreamOutput } from './chat-types.js'

type Done = (error?: Error | null) => void

/**
 * Where the proxy's relay writes Responses SSE bytes for a Chat client: the bytes are decoded here
 * and translated as they come, one event at a time. The relay (and its observer, attempt log and
 * in-band failure events) stays the one used by `/v1/responses`, so Chat gets the same accounting.
 */
abstract class TranslatingSink extends Writable {
  readonly #decoder = new SseDecoder()

  constructor(
    private readonly translator: ChatStreamTranslator,
    client: Writable,
  ) {
    super()
    // The client hung up: a destroyed target is how the relay learns it and logs client_closed.
    client.once('close', () => {
      if (!client.writableFinished) this.destroy()
    })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: Done): void {
    this.deliver(this.#translate(this.#decoder.push(chunk)), done)
  }

  override _final(done: Done): void {
    this.deliver(this.#translate(this.#decoder.end()), () => {
      this.finish()
      done()
    })
  }

  protected abstract deliver(out: ChatStreamOutput[], done: Done): void
  protected abstract finish(): void

  #translate(events: ReturnType<SseDecoder['push']>): ChatStreamOutput[] {
    const out: ChatStreamOutput[] = []
    for (const event of events) {
      const payload = parseJsonEvent(event)
      if (payload) out.push(...this.translator.push(payload))
    }
    return out
  }
}

/** Chat SSE to the client: `data: <chunk>` lines with backpressure, then `data: [DONE]`. */
export class ChatSseSink extends TranslatingSink {
  constructor(
    translator: ChatStreamTranslator,
    private readonly res: Writable,
  ) {
    super(translator, res)
  }

  protected deliver(out: ChatStreamOutput[], done: Done): void {
    if (out.length === 0 || this.res.destroyed) return done()
    const text = out.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')
    if (this.res.write(text)) return done()
    // Hold the relay (and so the upstream reads) until the client has taken the bytes.
    Promise.race([once(this.res, 'drain'), once(this.res, 'close')]).then(
      () => done(),
      () => done(),
    )
  }

  protected finish(): void {
    if (!this.res.destroyed) this.res.end('data: [DONE]\n\n')
  }
}

/** Non-streaming Chat: the translated chunks are folded into one `chat.completion`. */
export class ChatCollector extends TranslatingSink {
  readonly completion = new ChatCompletionBuilder()

  protected deliver(out: ChatStreamOutput[], done: Done): void {
    for (const chunk of out) this.completion.add(chunk)
    done()
  }

  protected finish(): void {}
}
