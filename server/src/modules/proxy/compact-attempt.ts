import type { Clock } from '../../lib/clock.js'
import type { UpstreamClient } from '../../upstream/client.js'
import {
  describeFailure,
  failureFromBody,
  networkFailure,
  type UpstreamFailure,
} from '../../upstream/failure.js'
import { upstreamHeaders } from '../../upstream/headers.js'
import type { AttemptRecorder } from './attempt-recorder.js'
import { ClientClosedError } from './proxy-errors.js'
import { readUsage } from './stream-observer.js'
import type { AttemptInput } from './upstream-attempt.js'
import { isRecord } from '../../lib/json.js'

export type CompactOutcome =
  { kind: 'opened'; body: Record<string, unknown> } | { kind: 'failed'; failure: UpstreamFailure }

/** Larger replies are refused (502) as soon as they pass this size, without reading the rest. */
export const MAX_COMPACT_BYTES = 64 * 1024 * 1024

/** One `POST /codex/responses/compact` attempt (JSON both ways, bounded time). */
export async function compactUpstream(
  client: UpstreamClient,
  input: AttemptInput & { timeoutMs: number },
  attempt: AttemptRecorder,
  clock: Clock,
): Promise<CompactOutcome> {
  const failWith = (failure: UpstreamFailure, upstreamBody?: string): CompactOutcome => {
    attempt.fail(failure.code, failure.message, upstreamBody)
    return { kind: 'failed', failure }
  }
  const fail = (status: number, payload: unknown) =>
    failWith(describeFailure(status, payload, {}, clock.now()))
  const signal = AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)])
  let text: string
  let status: number
  let headers: Record<string, string | string[] | undefined>
  try {
    const res = await client.stream({
      method: 'POST',
      url: input.url.replace(/\/responses$/, '/responses/compact'),
      headers: upstreamHeaders(
        input.inbound,
        input.credential,
        input.requestId,
        'application/json',
      ),
      body: input.body,
      signal,
      egressProxy: input.credential.egressProxy,
      headersTimeoutMs: input.timeoutMs,
      bodyTimeoutMs: input.timeoutMs,
    })
    status = res.status
    headers = res.headers
    attempt.status(status)
    input.signals?.onHeaders(headers)
    attempt.firstByte()
    const parts: Buffer[] = []
    let size = 0
    for await (const chunk of res.chunks) {
      size += chunk.length
      // Stop reading (the loop's exit closes the connection) rather than hold an endless reply.
      if (size > MAX_COMPACT_BYTES) break
      parts.push(chunk)
    }
    if (size > MAX_COMPACT_BYTES) {
      // Not the account's fault (like an oversized stream event): reported, no failover, no mark.
      const error = { code: 'upstream_error', message: 'Upstream reply too large' }
      return failWith({ ...describeFailure(502, { error }, {}, clock.now()), kind: 'client' })
    }
    text = Buffer.concat(parts, size).toString('utf8')
  } catch (err) {
    if (input.signal.aborted) {
      attempt.fail('client_closed', 'Client closed the connection')
      throw new ClientClosedError()
    }
    return failWith(networkFailure(err, clock.now()))
  }
  if (status >= 400) return failWith(failureFromBody(status, text, headers, clock.now()), text)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return fail(502, { error: { code: 'upstream_error', message: 'Invalid JSON from upstream' } })
  }
  if (!isRecord(body))
    return fail(502, { error: { code: 'upstream_error', message: 'Unexpected upstream payload' } })
  attempt.usage(readUsage(body['usage']))
  return { kind: 'opened', body }
}
