import type { WebSocket } from 'ws'
import type { Clock } from '../../lib/clock.js'
import { UpstreamSocketClosedError } from '../../upstream/ws-connection.js'
import type { RelayResult } from '../proxy/stream-relay.js'
import { sendText } from './client-send.js'
import { failedFrame } from './frames.js'
import type { TurnActivity } from './activity.js'
import type { OpenedTurn } from './upstream-link.js'

function sendFrame(client: WebSocket, frame: string): Promise<boolean> {
  if (client.readyState !== client.OPEN) return Promise.resolve(false)
  // Resolves once the frame is handed to the client's socket: backpressure for the next read.
  return new Promise((resolve) => sendText(client, frame, (err) => resolve(!err)))
}

/**
 * After the commit point, for a turn served over an upstream WebSocket: frames go to the client
 * in order as they arrive, the observer reads them on the side, and a socket that closes or goes
 * silent before the terminal event ends the turn in-band with `response.failed`.
 */
export async function relayFrames(
  turn: OpenedTurn,
  client: WebSocket,
  activity: TurnActivity,
  options: {
    requestId: string
    clock: Clock
    idleTimeoutMs: number
    /** Aborted when the client socket closes: the upstream turn is cut at once. */
    signal: AbortSignal
    onRateLimits(event: Record<string, unknown>): void
  },
): Promise<RelayResult> {
  const { socket, observer, attempt } = turn
  let clientGone = false
  let broken: { code: string; message: string } | undefined
  const forward = async (frame: string, payload?: Record<string, unknown>) => {
    activity.touch()
    if (payload?.['type'] === 'codex.rate_limits') options.onRateLimits(payload)
    if (!(await sendFrame(client, frame))) clientGone = true
  }
  const cut = () => socket.close()
  options.signal.addEventListener('abort', cut, { once: true })
  for (const frame of turn.head) await forward(frame)
  while (!clientGone && !observer.terminal) {
    let frame: string
    try {
      frame = await socket.next(options.idleTimeoutMs)
    } catch (err) {
      const idle = err instanceof UpstreamSocketClosedError && err.code === 'idle_timeout'
      broken = idle
        ? { code: 'stream_idle_timeout', message: 'Upstream stream idle timeout' }
        : { code: 'stream_incomplete', message: 'Upstream closed the stream before it completed' }
      break
    }
    await forward(frame, observer.observe({ data: frame, size: frame.length }))
  }
  options.signal.removeEventListener('abort', cut)
  if (options.signal.aborted) clientGone = true
  if (clientGone) {
    socket.close()
    attempt.fail('client_closed', 'Client closed the connection before the stream ended')
  } else if (broken) {
    socket.close()
    attempt.fail(broken.code, broken.message)
    const now = options.clock.now()
    await sendFrame(client, failedFrame(options.requestId, broken.code, broken.message, now))
  } else if (observer.error) {
    attempt.fail(observer.error.code, observer.error.message, observer.error.raw)
  }
  attempt.usage(observer.usage)
  const completed = !clientGone && !broken && observer.terminal === 'response.completed'
  // The backend holds this response now: the next turn on this socket may be incremental.
  if (completed && observer.responseId) socket.anchor = observer.responseId
  return { usage: observer.usage, completed }
}
