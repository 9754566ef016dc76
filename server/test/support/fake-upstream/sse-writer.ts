import type { ServerResponse } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import { buildEvents, type StreamContext } from './sse-events.js'
import type { ResponseBehaviour, StreamOptions } from './types.js'

/** Resolves after `ms`, or at once (without throwing) when the client goes away. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return
  await delay(ms, undefined, { signal }).catch(() => undefined)
}

/** Never resolves on its own: for "stall forever" until the client aborts or the fake closes. */
function hang(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

export function encodeEvent(event: Record<string, unknown>, opts: StreamOptions): Buffer {
  const eol = opts.lineEnding ?? '\n'
  const data = `data: ${JSON.stringify(event)}${eol}${eol}`
  const type = typeof event.type === 'string' ? event.type : undefined
  return Buffer.from(opts.dataOnly || !type ? data : `event: ${type}${eol}${data}`)
}

/** Cut points inside every `\r\n` and every multi-byte UTF-8 character, plus every chunkSize bytes. */
export function splitFrame(frame: Uint8Array, opts: StreamOptions): Uint8Array[] {
  const cuts = new Set<number>()
  if (opts.chunkSize !== undefined && opts.chunkSize > 0) {
    for (let i = opts.chunkSize; i < frame.length; i += opts.chunkSize) cuts.add(i)
  }
  if (opts.awkward) {
    for (let i = 0; i < frame.length - 1; i++) {
      const byte = frame[i] as number
      if (byte === 0x0d || byte >= 0xc0) cuts.add(i + 1)
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let start = 0
  for (const cut of sorted) {
    pieces.push(frame.subarray(start, cut))
    start = cut
  }
  pieces.push(frame.subarray(start))
  return pieces
}

function write(res: ServerResponse, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    res.write(bytes, () => resolve())
  })
}

export interface PlayHooks {
  signal: AbortSignal
  /** Tells the recorder that the server, not the client, cut the connection. */
  onServerDrop(): void
}

/** Streams a behaviour's SSE to `res`, honouring chunking, stalls and drops; never throws. */
export async function playStream(
  res: ServerResponse,
  behaviour: Exclude<ResponseBehaviour, { kind: 'raw' } | { kind: 'http-error' }>,
  ctx: StreamContext,
  hooks: PlayHooks,
): Promise<void> {
  const { signal } = hooks
  const opts: StreamOptions =
    behaviour.kind === 'chunked' && !behaviour.chunkSize && !behaviour.awkward
      ? { ...behaviour, chunkSize: 1 }
      : behaviour
  if (behaviour.kind === 'slow-first-byte') await sleep(behaviour.ms, signal)
  if (signal.aborted) return
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_${ctx.responseId.slice(5)}`,
    ...opts.headers,
  })
  res.flushHeaders()
  const frames = buildEvents(behaviour, ctx).map((e) => encodeEvent(e, opts))
  const eol = opts.lineEnding ?? '\n'
  if (opts.doneMarker) frames.push(Buffer.from(`data: [DONE]${eol}${eol}`))
  const stallAt = behaviour.kind === 'stall' ? (behaviour.afterEvents ?? 2) : -1
  const dropAt = behaviour.kind === 'drop-mid-stream' ? behaviour.afterEvents : -1
  for (let n = 0; n <= frames.length; n++) {
    if (n === stallAt && behaviour.kind === 'stall') {
      await (behaviour.ms === undefined ? hang(signal) : sleep(behaviour.ms, signal))
    }
    if (n === dropAt || n === frames.length) break
    if (n > 0) await sleep(opts.eventDelayMs ?? 0, signal)
    for (const piece of splitFrame(frames[n] as Buffer, opts)) {
      if (signal.aborted) return
      await write(res, piece)
      if (opts.chunkDelayMs) await sleep(opts.chunkDelayMs, signal)
      else if (opts.chunkSize || opts.awkward) await new Promise((r) => setImmediate(r))
    }
  }
  if (signal.aborted) return
  if (dropAt >= 0) {
    hooks.onServerDrop()
    res.socket?.destroy()
    return
  }
  res.end()
}
