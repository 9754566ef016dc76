import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { errorBody, sendJson } from './http.js'
import { DEFAULT_USAGE } from './sse-events.js'
import { sleep } from './sse-writer.js'
import type { CompactBehaviour, HttpErrorBehaviour, ResponseBehaviour } from './types.js'

/** 429 `usage_limit_reached` as the real upstream sends it (reference clients.md §2 "Errors"). */
export function usageLimitReached(
  opts: { planType?: string; resetsInSeconds?: number; nowMs?: number } = {},
): HttpErrorBehaviour {
  const resetsIn = opts.resetsInSeconds ?? 3600
  return {
    kind: 'http-error',
    status: 429,
    body: {
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: opts.planType ?? 'plus',
        resets_at: Math.floor((opts.nowMs ?? Date.now()) / 1000) + resetsIn,
        resets_in_seconds: resetsIn,
      },
    },
  }
}

/** 429 `rate_limit_exceeded` with `retry-after` (seconds). */
export function rateLimited(retryAfterSeconds = 1): HttpErrorBehaviour {
  return {
    kind: 'http-error',
    status: 429,
    body: errorBody('rate_limit_exceeded', 'Rate limit reached', 'rate_limit_exceeded'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }
}

export function defaultErrorBody(status: number): unknown {
  if (status === 429) {
    return errorBody('rate_limit_exceeded', 'Rate limit reached', 'rate_limit_exceeded')
  }
  if (status === 401) return errorBody('token_expired', 'Provided authentication token is expired.')
  if (status >= 500)
    return errorBody('server_error', `Fake upstream error ${status}`, 'server_error')
  return errorBody('invalid_request', `Fake upstream error ${status}`, 'invalid_request_error')
}

export function sendHttpError(res: ServerResponse, behaviour: HttpErrorBehaviour): void {
  const body = behaviour.body ?? defaultErrorBody(behaviour.status)
  sendJson(res, behaviour.status, body, behaviour.headers)
}

export async function sendRaw(
  res: ServerResponse,
  behaviour: Extract<ResponseBehaviour, { kind: 'raw' }>,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(behaviour.status ?? 200, behaviour.headers ?? {})
  res.flushHeaders()
  for (const chunk of behaviour.chunks) {
    if (signal.aborted) return
    await new Promise<void>((resolve) => res.write(chunk, () => resolve()))
    await sleep(behaviour.chunkDelayMs ?? 0, signal)
  }
  res.end()
}

export async function playCompact(
  res: ServerResponse,
  behaviour: CompactBehaviour,
  model: string,
  signal: AbortSignal,
): Promise<void> {
  if (behaviour.kind === 'http-error') return sendHttpError(res, behaviour)
  if (behaviour.kind === 'invalid-json') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"not json')
    return
  }
  if (behaviour.kind === 'huge') return sendHugeJson(res, behaviour.bytes, signal)
  if (behaviour.kind === 'slow-first-byte') await sleep(behaviour.ms, signal)
  if (signal.aborted) return
  const ok = behaviour.kind === 'ok' ? behaviour : { kind: 'ok' as const }
  sendJson(res, 200, {
    id: `resp_${randomBytes(12).toString('hex')}`,
    object: 'response.compaction',
    created_at: Math.floor(Date.now() / 1000),
    model,
    output: ok.output ?? [
      { type: 'compaction', id: 'cmp_1', encrypted_content: 'fake-encrypted-compaction' },
    ],
    usage: ok.usage ?? DEFAULT_USAGE,
  })
}

async function sendHugeJson(
  res: ServerResponse,
  bytes: number,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' })
  const piece = Buffer.alloc(64 * 1024, 'x')
  const write = (chunk: string | Buffer) =>
    new Promise<void>((resolve) => res.write(chunk, () => resolve()))
  await write(
    '{"object":"response.compaction","output":[{"type":"compaction","encrypted_content":"',
  )
  for (let sent = 0; sent < bytes && !signal.aborted && !res.destroyed; sent += piece.length) {
    await write(piece)
  }
  if (!signal.aborted && !res.destroyed) res.end('"}]}')
}
