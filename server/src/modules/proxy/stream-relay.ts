import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../../lib/clock.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import { SseDecoder, type SseEvent } from '../../upstream/sse-decoder.js'
import type { OpenedStream } from './upstream-attempt.js'
import { STREAM_INCOMPLETE, streamBreak, type StreamBreak } from './stream-break.js'
import { failedEvent } from './synthetic-events.js'

export interface RelayResult {
  usage: TokenUsage | undefined
  /** True when the stream ended with response.completed and the client got all of it. */
  completed: boolean
}

/**
 * A client that takes the events rather than the bytes (it translates them: Chat Completions). The
 * relay hands over the events it decoded for the observer, so nothing is decoded twice. False once
 * the client is gone.
 */
export interface EventWriter {
  writeEvents(events: readonly SseEvent[]): Promise<boolean>
}

function eventWriterOf(res: Writable): EventWriter | undefined {
  const candidate = res as Writable & Partial<EventWriter>
  return typeof candidate.writeEvents === 'function' ? (candidate as EventWriter) : undefined
}

/**
 * False once the client is gone. Synchronous unless the client pushes back: a promise per chunk
 * would cost two microtask turns on every event of every stream.
 */
function write(res: Writable, bytes: Buffer | string): boolean | Promise<boolean> {
  if (res.destroyed) return false
  if (res.write(bytes)) return true
  // Backpressure: wait for the client to drain before reading more from upstream.
  return Promise.race([once(res, 'drain'), once(res, 'close')]).then(() => !res.destroyed)
}

/**
 * After the commit point: upstream bytes go to the client as whole events arrive, with
 * backpressure; the observer reads the same events on the side. Trouble from here on can only be
 * reported in-band, as a `response.failed` event in the upstream's own format.
 */
export async function relayStream(
  stream: OpenedStream,
  res: Writable,
  requestId: string,
  clock: Clock,
  log: Pick<FastifyBaseLogger, 'warn'>,
): Promise<RelayResult> {
  const { framer, observer, attempt, chunks } = stream
  const events = eventWriterOf(res)
  /** Whole events out, as bytes or (to an event writer) as the events; false: the client is gone. */
  const send = (
    bytes: Buffer | string | null,
    decoded: readonly SseEvent[],
  ): boolean | Promise<boolean> => {
    if (events) return decoded.length === 0 || events.writeEvents(decoded)
    return bytes === null || write(res, bytes)
  }
  let clientGone = false
  if (events) clientGone = !(await send(null, stream.headEvents))
  else for (const bytes of stream.head) if (!(await write(res, bytes))) clientGone = true
  let synthesized: StreamBreak | undefined
  try {
    if (stream.overflow) throw stream.overflow
    while (!clientGone) {
      const { done, value } = await chunks.next()
      if (done) break
      const framed = framer.push(value)
      for (const e of framed.events) observer.observe(e)
      let sent = send(framed.bytes, framed.events)
      if (typeof sent !== 'boolean') sent = await sent
      if (!sent) clientGone = true
      if (framed.overflow) throw framed.overflow
    }
    if (!clientGone) {
      const tail = framer.end()
      for (const e of tail.events) observer.observe(e)
      if (!(await send(tail.bytes, tail.events))) clientGone = true
      if (!observer.terminal) synthesized = STREAM_INCOMPLETE
    }
  } catch (err) {
    if (res.destroyed) clientGone = true
    else synthesized = streamBreak(err)
  }
  if (clientGone) {
    stream.abort.abort()
    attempt.fail('client_closed', 'Client closed the connection before the stream ended')
  } else if (synthesized) {
    stream.abort.abort()
    if (synthesized.detail) {
      log.warn({ accountId: attempt.accountId, detail: synthesized.detail }, synthesized.message)
    }
    attempt.fail(synthesized.code, synthesized.message)
    const failed = failedEvent(requestId, synthesized.code, synthesized.message, clock.now())
    await send(failed, events ? new SseDecoder().push(Buffer.from(failed)) : [])
  } else if (observer.error) {
    attempt.fail(observer.error.code, observer.error.message, observer.error.raw)
  }
  attempt.usage(observer.usage)
  stream.detach()
  if (!res.destroyed) res.end()
  return {
    usage: observer.usage,
    completed: !clientGone && !synthesized && observer.terminal === 'response.completed',
  }
}
