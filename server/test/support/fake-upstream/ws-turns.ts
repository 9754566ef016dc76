import { WebSocket } from 'ws'
import { buildEvents, type StreamContext } from './sse-events.js'
import { sleep } from './sse-writer.js'
import { errorFrame, httpErrorFrame } from './ws-frames.js'
import type { WsTurnBehaviour } from './ws-types.js'

type Json = Record<string, unknown>
type Frame = Json | string | Uint8Array

/** The frames of one answer and how the socket behaves around them. */
interface Plan {
  frames: Frame[]
  delayMs: number
  firstDelayMs: number
  /** Go silent before frame n, for `stallMs` or until released. */
  stallAt: number
  stallMs: number | undefined
  /** Stop before frame n and close (or cut) the socket. */
  endAt: number
  end: { kind: 'close'; code: number; reason: string } | { kind: 'drop' } | undefined
}

export interface TurnIo {
  socket: WebSocket
  /** Aborted when the socket closes. */
  signal: AbortSignal
  /** Resolves when the test calls `fake.ws.release()`. */
  released(): Promise<void>
  /** Sees each frame as it is sent (JSON parsed where possible). */
  onFrame(frame: Json | undefined): void
  /** The fake is about to close or cut the socket itself. */
  onServerClose(): void
}

function withRateLimits(behaviour: WsTurnBehaviour, events: Json[]): Json[] {
  const body = 'rateLimits' in behaviour ? behaviour.rateLimits : undefined
  return body ? [{ type: 'codex.rate_limits', ...body }, ...events] : events
}

function plan(behaviour: WsTurnBehaviour, ctx: StreamContext): Plan {
  const base: Plan = {
    frames: [],
    delayMs: 'eventDelayMs' in behaviour ? (behaviour.eventDelayMs ?? 0) : 0,
    firstDelayMs: 0,
    stallAt: -1,
    stallMs: undefined,
    endAt: -1,
    end: undefined,
  }
  switch (behaviour.kind) {
    case 'ws-error': {
      const frame = errorFrame(behaviour.status, behaviour.error, behaviour.headers)
      const code = behaviour.closeCode
      const end = code === undefined ? undefined : { kind: 'close' as const, code, reason: '' }
      return { ...base, frames: [frame], endAt: end ? 1 : -1, end }
    }
    case 'ws-frames':
      return { ...base, frames: behaviour.frames }
    case 'http-error':
      return { ...base, frames: [httpErrorFrame(behaviour)] }
    case 'raw':
      return { ...base, frames: behaviour.chunks, delayMs: behaviour.chunkDelayMs ?? 0 }
    case 'ws-close': {
      const frames = withRateLimits(behaviour, buildEvents({ ...behaviour, kind: 'ok' }, ctx))
      const end = {
        kind: 'close' as const,
        code: behaviour.code ?? 1011,
        reason: behaviour.reason ?? '',
      }
      return { ...base, frames, endAt: behaviour.afterEvents, end }
    }
    default: {
      const frames = withRateLimits(behaviour, buildEvents(behaviour, ctx))
      if (behaviour.kind === 'slow-first-byte')
        return { ...base, frames, firstDelayMs: behaviour.ms }
      if (behaviour.kind === 'stall') {
        return { ...base, frames, stallAt: behaviour.afterEvents ?? 2, stallMs: behaviour.ms }
      }
      if (behaviour.kind === 'drop-mid-stream') {
        return { ...base, frames, endAt: behaviour.afterEvents, end: { kind: 'drop' } }
      }
      return { ...base, frames }
    }
  }
}

function parsed(frame: Frame): Json | undefined {
  if (typeof frame === 'object' && !(frame instanceof Uint8Array)) return frame
  if (typeof frame !== 'string') return undefined
  try {
    const value = JSON.parse(frame) as unknown
    return typeof value === 'object' && value !== null ? (value as Json) : undefined
  } catch {
    return undefined
  }
}

function send(socket: WebSocket, frame: Frame): Promise<void> {
  const data =
    typeof frame === 'string' || frame instanceof Uint8Array ? frame : JSON.stringify(frame)
  return new Promise((resolve) =>
    socket.send(data, { binary: frame instanceof Uint8Array }, () => resolve()),
  )
}

function closed(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

/** Sends one answer on the socket; returns once it is fully sent, cut, or the socket closed. */
export async function playTurn(
  io: TurnIo,
  behaviour: WsTurnBehaviour,
  ctx: StreamContext,
): Promise<void> {
  const p = plan(behaviour, ctx)
  await sleep(p.firstDelayMs, io.signal)
  for (let n = 0; n <= p.frames.length; n++) {
    if (n === p.stallAt) {
      const waits = [io.released(), closed(io.signal)]
      if (p.stallMs !== undefined) waits.push(sleep(p.stallMs, io.signal))
      await Promise.race(waits)
    }
    if (io.socket.readyState !== WebSocket.OPEN) return
    if (n === p.endAt && p.end) {
      io.onServerClose()
      if (p.end.kind === 'drop') io.socket.terminate()
      else io.socket.close(p.end.code, p.end.reason)
      return
    }
    if (n === p.frames.length) return
    if (n > 0) await sleep(p.delayMs, io.signal)
    const frame = p.frames[n] as Frame
    io.onFrame(parsed(frame))
    await send(io.socket, frame)
  }
}
