import { AppError } from '../../errors/index.js'
import { ClientClosedError } from './proxy-errors.js'
import { SseEventTooLargeError } from '../../upstream/sse-decoder.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import type { OpenedStream } from './upstream-attempt.js'

export interface Collected {
  response: Record<string, unknown>
  usage: TokenUsage | undefined
}

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
 * `/v1/responses` without `stream`: reads the upstream stream to its terminal event and returns the
 * final response object (reference §1.3). Failures map to 502 (503 for no_accounts).
 */
export async function collectResponse(stream: OpenedStream): Promise<Collected> {
  const { framer, observer, attempt, chunks } = stream
  try {
    if (stream.overflow) throw stream.overflow
    for (;;) {
      const { done, value } = await chunks.next()
      if (done) break
      const framed = framer.push(value)
      for (const e of framed.events) observer.observe(e)
      if (framed.overflow) throw framed.overflow
    }
    for (const e of framer.end().events) observer.observe(e)
  } catch (err) {
    // Aborted already means the client left (its disconnect aborts the upstream request).
    if (stream.abort.signal.aborted) {
      attempt.fail('client_closed', 'Client closed the connection before the response was complete')
      throw new ClientClosedError()
    }
    stream.abort.abort()
    const code = err instanceof SseEventTooLargeError ? 'stream_event_too_large' : 'upstream_error'
    attempt.fail(code, (err as Error).message)
    throw new AppError('Upstream stream failed', { status: 502, code, type: 'server_error' })
  } finally {
    stream.detach()
    attempt.usage(observer.usage)
  }
  const response = observer.response
  if (observer.terminal === 'response.failed' || (!response && observer.error)) {
    const error = observer.error ?? {
      code: 'upstream_error',
      message: 'Upstream error',
      raw: undefined,
    }
    attempt.fail(error.code, error.message)
    const { message: _m, code: _c, type, ...details } = error.raw ?? {}
    throw new AppError(error.message, {
      status: error.code === 'no_accounts' ? 503 : 502,
      code: error.code,
      type: typeof type === 'string' ? type : 'server_error',
      details,
    })
  }
  if (!response) {
    attempt.fail('stream_incomplete', 'Upstream closed stream without completion')
    throw new AppError('Upstream closed stream without completion', {
      status: 502,
      code: 'upstream_error',
      type: 'server_error',
    })
  }
  if (observer.terminal === 'response.incomplete' && observer.error) {
    attempt.fail(observer.error.code, observer.error.message)
  }
  return { response: dropNulls(response) as Record<string, unknown>, usage: observer.usage }
}
