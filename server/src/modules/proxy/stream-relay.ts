import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { Clock } from '../../lib/clock.js'
import { SseEventTooLargeError } from '../../upstream/sse-decoder.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import type { OpenedStream } from './upstream-attempt.js'
import { failedEvent } from './synthetic-events.js'

export interface RelayResult {
  usage: TokenUsage | undefined
  /** True when the stream ended with response.completed and the client got all of it. */
  completed: boolean
}

async function write(res: Writable, bytes: Buffer | string): Promise<boolean> {
  if (res.destroyed) return false
  if (res.write(bytes)) return true
  // Backpressure: wait for the client to drain before reading more from upstream.
  await Promise.race([once(res, 'drain'), once(res, 'close')])
  return !res.destroyed
}

function failureFor(err: unknown): { code: string; message: string } {
  if (err instanceof SseEventTooLargeError) {
    return { code: 'stream_event_too_large', message: 'Upstream sent an event larger than allowed' }
  }
  const code = (err as { code?: string }).code
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return { code: 'stream_idle_timeout', message: 'Upstream stream idle timeout' }
  }
  return { code: 'upstream_error', message: `Upstream stream broke: ${(err as Error).message}` }
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
): Promise<RelayResult> {
  const { framer, observer, attempt, chunks } = stream
  let clientGone = false
  for (const bytes of stream.head) if (!(await write(res, bytes))) clientGone = true
  let synthesized: { code: string; message: string } | undefined
  try {
    if (stream.overflow) throw stream.overflow
    while (!clientGone) {
      const { done, value } = await chunks.next()
      if (done) break
      const framed = framer.push(value)
      for (const e of framed.events) observer.observe(e)
      if (framed.bytes && !(await write(res, framed.bytes))) clientGone = true
      if (framed.overflow) throw framed.overflow
    }
    if (!clientGone) {
      const tail = framer.end()
      for (const e of tail.events) observer.observe(e)
      if (tail.bytes && !(await write(res, tail.bytes))) clientGone = true
      if (!observer.terminal) {
        synthesized = {
          code: 'stream_incomplete',
          message: 'Upstream closed stream without completion',
        }
      }
    }
  } catch (err) {
    if (res.destroyed) clientGone = true
    else synthesized = failureFor(err)
  }
  if (clientGone) {
    stream.abort.abort()
    attempt.fail('client_closed', 'Client closed the connection before the stream ended')
  } else if (synthesized) {
    stream.abort.abort()
    attempt.fail(synthesized.code, synthesized.message)
    await write(res, failedEvent(requestId, synthesized.code, synthesized.message, clock.now()))
  } else if (observer.error) {
    attempt.fail(observer.error.code, observer.error.message)
  }
  attempt.usage(observer.usage)
  stream.detach()
  if (!res.destroyed) res.end()
  return {
    usage: observer.usage,
    completed: !clientGone && !synthesized && observer.terminal === 'response.completed',
  }
}
