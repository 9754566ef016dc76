import { AppError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import { describeFailure, type UpstreamFailure } from '../../upstream/failure.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import { ClientClosedError } from './proxy-errors.js'
import { STREAM_INCOMPLETE, streamBreak, type StreamBreak } from './stream-break.js'
import type { StreamObserver } from './stream-observer.js'
import type { OpenedStream } from './upstream-attempt.js'

/** An upstream stream read to its end before anything was sent (clients that did not stream). */
export interface CollectedStream {
  attempt: AttemptRecorder
  observer: StreamObserver
  /** Every complete event's bytes in order, when asked for (Chat folds them into a completion). */
  bytes: Buffer[]
}

export type CollectOutcome =
  { kind: 'opened'; value: CollectedStream } | { kind: 'failed'; failure: UpstreamFailure }

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    )
  }
  return value
}

/**
 * Reads an opened stream to its terminal event (or an `error` event). The client has seen nothing
 * yet, so a stream that drops or ends early is an attempt failure like any other before the first
 * byte: the caller marks the account and moves the request on. An oversized event is not the
 * account's fault (kind `client`: reported, no failover).
 */
export async function readToEnd(
  stream: OpenedStream,
  keepBytes: boolean,
  clock: Clock,
): Promise<CollectOutcome> {
  const { framer, observer, attempt, chunks } = stream
  const bytes = keepBytes ? [...stream.head] : []
  const failed = (broke: StreamBreak, kind?: 'client'): CollectOutcome => {
    stream.abort.abort()
    attempt.fail(broke.code, broke.message)
    const { detail, ...error } = broke
    const failure = describeFailure(200, { error }, {}, clock.now())
    if (kind) failure.kind = kind
    if (detail) failure.detail = detail
    return { kind: 'failed', failure }
  }
  try {
    if (stream.overflow) throw stream.overflow
    for (;;) {
      const { done, value } = await chunks.next()
      if (done) break
      const framed = framer.push(value)
      for (const e of framed.events) observer.observe(e)
      if (keepBytes && framed.bytes) bytes.push(framed.bytes)
      if (framed.overflow) throw framed.overflow
    }
    const tail = framer.end()
    for (const e of tail.events) observer.observe(e)
    if (keepBytes && tail.bytes) bytes.push(tail.bytes)
  } catch (err) {
    // Aborted already means the client left (its disconnect aborts the upstream request).
    if (stream.abort.signal.aborted) {
      attempt.fail('client_closed', 'Client closed the connection before the response was complete')
      throw new ClientClosedError()
    }
    const broke = streamBreak(err)
    return failed(broke, broke.code === 'stream_event_too_large' ? 'client' : undefined)
  } finally {
    stream.detach()
    attempt.usage(observer.usage)
  }
  if (!observer.terminal && !observer.error) return failed(STREAM_INCOMPLETE)
  if (observer.error) attempt.fail(observer.error.code, observer.error.message, observer.error.raw)
  return { kind: 'opened', value: { attempt, observer, bytes } }
}

/**
 * `/v1/responses` without `stream`: the final response object of a collected stream (reference
 * §1.3), or the upstream's failure as an HTTP error (502; 503 for no_accounts).
 */
export function finalResponse(collected: CollectedStream): Record<string, unknown> {
  const { observer } = collected
  const response = observer.response
  if (observer.terminal === 'response.failed' || (!response && observer.error)) {
    const error = observer.error ?? {
      code: 'upstream_error',
      message: 'Upstream error',
      raw: undefined,
    }
    const { message: _m, code: _c, type, ...details } = error.raw ?? {}
    throw new AppError(error.message, {
      status: error.code === 'no_accounts' ? 503 : 502,
      code: error.code,
      type: typeof type === 'string' ? type : 'server_error',
      details,
    })
  }
  if (!response) {
    collected.attempt.fail(STREAM_INCOMPLETE.code, STREAM_INCOMPLETE.message)
    throw new AppError(STREAM_INCOMPLETE.message, {
      status: 502,
      code: STREAM_INCOMPLETE.code,
      type: 'server_error',
    })
  }
  return dropNulls(response) as Record<string, unknown>
}
