import type { IncomingHttpHeaders } from 'node:http'
import type { Clock } from '../../lib/clock.js'
import type { StreamedResponse } from '../../upstream/body-stream.js'
import type { UpstreamClient } from '../../upstream/client.js'
import {
  describeFailure,
  failureFromBody,
  kindForCode,
  networkFailure,
  type UpstreamFailure,
} from '../../upstream/failure.js'
import { upstreamHeaders, type UpstreamCredential } from '../../upstream/headers.js'
import { SseEventTooLargeError, type SseEvent } from '../../upstream/sse-decoder.js'
import { SseFramer } from '../../upstream/sse-framer.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import { ClientClosedError } from './proxy-errors.js'
import { StreamObserver } from './stream-observer.js'

/** A stream that passed the first-event check: the caller now owns it and must end the attempt. */
export interface OpenedStream {
  attempt: AttemptRecorder
  response: StreamedResponse
  framer: SseFramer
  observer: StreamObserver
  /** Complete-event bytes read while deciding; sent first at commit. */
  head: Buffer[]
  /** The same events decoded (and observed): what a translating client gets instead of `head`. */
  headEvents: SseEvent[]
  chunks: AsyncIterator<Buffer>
  abort: AbortController
  detach(): void
  /** An event after the decision point outgrew the cap: the relay ends the stream with it. */
  overflow: SseEventTooLargeError | undefined
}

export type AttemptOutcome =
  { kind: 'opened'; stream: OpenedStream } | { kind: 'failed'; failure: UpstreamFailure }

/** Where an attempt reports what the upstream said about the account's usage; must not block. */
export interface UsageSignals {
  onHeaders(headers: StreamedResponse['headers']): void
  onRateLimits(event: Record<string, unknown>): void
}

export interface AttemptInput {
  url: string
  body: string
  requestId: string
  inbound: IncomingHttpHeaders
  credential: UpstreamCredential
  signal: AbortSignal
  maxEventBytes: number
  signals?: UsageSignals | undefined
}

const MAX_ERROR_BODY = 64 * 1024

async function readBounded(res: StreamedResponse): Promise<string> {
  const parts: Buffer[] = []
  let n = 0
  for await (const chunk of res.chunks) {
    if (n < MAX_ERROR_BODY) parts.push(chunk)
    n += chunk.length
  }
  return Buffer.concat(parts).toString('utf8').slice(0, MAX_ERROR_BODY)
}

/**
 * One upstream attempt up to the decision point: HTTP status, then the first SSE event. A failure
 * here is still invisible to the client, so the caller may try another account.
 */
export async function attemptUpstream(
  client: UpstreamClient,
  input: AttemptInput,
  attempt: AttemptRecorder,
  clock: Clock,
): Promise<AttemptOutcome> {
  const abort = new AbortController()
  const onClientGone = () => abort.abort()
  input.signal.addEventListener('abort', onClientGone, { once: true })
  const detach = () => input.signal.removeEventListener('abort', onClientGone)
  /** `upstreamBody`: what the upstream said, for the request log (absent for our own verdicts). */
  const failed = (failure: UpstreamFailure, upstreamBody?: unknown): AttemptOutcome => {
    detach()
    abort.abort()
    attempt.fail(failure.code, failure.message, upstreamBody)
    return { kind: 'failed', failure }
  }
  const unreachable = (err: unknown): AttemptOutcome => {
    if (input.signal.aborted) {
      detach()
      attempt.fail('client_closed', 'Client closed the connection')
      throw new ClientClosedError()
    }
    return failed(networkFailure(err, clock.now()))
  }

  let response: StreamedResponse
  try {
    response = await client.stream({
      method: 'POST',
      url: input.url,
      headers: upstreamHeaders(
        input.inbound,
        input.credential,
        input.requestId,
        'text/event-stream',
      ),
      body: input.body,
      signal: abort.signal,
      egressProxy: input.credential.egressProxy,
    })
  } catch (err) {
    return unreachable(err)
  }
  attempt.status(response.status)
  // Every answer counts, a 429 too: its headers say how used up the account is.
  input.signals?.onHeaders(response.headers)
  if (response.status >= 400) {
    let text = ''
    try {
      text = await readBounded(response)
    } catch (err) {
      return unreachable(err)
    }
    return failed(failureFromBody(response.status, text, response.headers, clock.now()), text)
  }

  const framer = new SseFramer(input.maxEventBytes)
  const observer = new StreamObserver(input.signals?.onRateLimits)
  const head: Buffer[] = []
  const headEvents: SseEvent[] = []
  const { chunks } = response
  let pendingOverflow: SseEventTooLargeError | undefined
  try {
    for (;;) {
      const { done, value } = await chunks.next()
      if (done) {
        const error = { code: 'stream_incomplete', message: 'Upstream closed the stream early' }
        return failed(describeFailure(200, { error }, {}, clock.now()))
      }
      attempt.firstByte()
      const framed = framer.push(value)
      if (framed.bytes) head.push(framed.bytes)
      if (framed.overflow && framed.events.length === 0) throw framed.overflow
      if (framed.events.length === 0) continue
      const [first, ...rest] = framed.events
      observer.observe(first!)
      const firstFailure = observer.terminal === 'response.incomplete' ? undefined : observer.error
      if (firstFailure && kindForCode(firstFailure.code, 200) !== 'client') {
        const raw = firstFailure.raw ?? { code: firstFailure.code, message: firstFailure.message }
        return failed(describeFailure(200, { error: raw }, {}, clock.now()), firstFailure.raw)
      }
      for (const e of rest) observer.observe(e)
      headEvents.push(...framed.events)
      // An overflow after good events is reported in-band by the relay, on its first read.
      if (framed.overflow) pendingOverflow = framed.overflow
      return {
        kind: 'opened',
        stream: {
          ...{ attempt, response, framer, observer, head, headEvents, chunks, abort, detach },
          overflow: pendingOverflow,
        },
      }
    }
  } catch (err) {
    if (err instanceof SseEventTooLargeError) {
      // Not the account's fault: report it, but do not mark the account or try another.
      const error = { code: 'stream_event_too_large', message: err.message }
      return failed({ ...describeFailure(502, { error }, {}, clock.now()), kind: 'client' })
    }
    return unreachable(err)
  }
}
