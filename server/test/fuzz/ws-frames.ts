import fc from 'fast-check'
import { WebSocket } from 'ws'
import { hostileBody } from './hostile-bodies.js'

/** A client frame: what the socket sends, printed short. */
export interface Frame {
  describe: string
  data: Buffer
  binary: boolean
}

const frame = (describe: string, data: Buffer | string, binary = false): Frame =>
  Object.assign(
    { describe, data: typeof data === 'string' ? Buffer.from(data) : data, binary },
    { [fc.toStringMethod]: () => `Frame(${describe}${binary ? ', binary' : ''})` },
  )

const CREATE = { type: 'response.create', model: 'gpt-5.5', input: 'hi' }

/** One frame of each kind, tried first so every kind is sent whatever the random cases draw. */
export const FIXED_FRAMES: Frame[] = [
  frame('binary', Buffer.from([0x7b, 0x7d]), true),
  frame('text garbage', 'not json {'),
  frame('bad utf-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
  frame('past the cap', JSON.stringify({ ...CREATE, input: 'a'.repeat(300_000) })),
  frame('an array', '[1,2]'),
  frame('create without a model', JSON.stringify({ type: 'response.create', input: 1 })),
  frame('valid create', JSON.stringify(CREATE)),
]

/** Text garbage, binary, past the frame cap, bad UTF-8, broken JSON and JSON of the wrong shape. */
export const hostileFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => frame(`text ${JSON.stringify(s)}`, s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => frame('bytes', Buffer.from(b), true)),
  fc.constant(frame('past the cap', JSON.stringify({ ...CREATE, input: 'a'.repeat(300_000) }))),
  fc.constant(frame('bad utf-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))),
  fc.jsonValue({ maxDepth: 4 }).map((v) => frame(`json ${JSON.stringify(v)}`, JSON.stringify(v))),
  fc
    .constantFrom('response.create', 'response.processed', 'response.cancel', '', 'session.update')
    .chain((type) =>
      fc
        .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
        .map((rest) => frame(`${type} ${JSON.stringify(rest)}`, JSON.stringify({ ...rest, type }))),
    ),
  hostileBody(CREATE, ['response', 'generate', 'tools', 'previous_response_id']).map((body) =>
    frame(`create ${body?.describe ?? 'empty'}`, body?.bytes ?? Buffer.alloc(0)),
  ),
  fc.constant(frame('valid create', JSON.stringify(CREATE))),
)

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error'])
/** Codes a server may close with after a bad frame: normal, going away, bad data, policy, too big. */
const PROPER_CLOSE = new Set([1000, 1001, 1007, 1008, 1009])

/**
 * Sends `frames` one at a time on a fresh socket; each must get a terminal event (an `error` frame
 * below 500 in the OpenAI shape, or the end of a turn), or close the socket with a proper code.
 * `response.processed` alone needs no answer: silence is right for it.
 */
export async function exchange(url: string, headers: Record<string, string>, frames: Frame[]) {
  const socket = new WebSocket(url, { headers })
  const received: string[] = []
  let wake: (() => void) | undefined
  let closed: number | undefined
  socket.on('message', (data: Buffer) => {
    received.push(data.toString('utf8'))
    wake?.()
  })
  socket.on('close', (code) => {
    closed = code
    wake?.()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const problems: string[] = []
  const outcomes: string[] = []
  try {
    for (const f of frames) {
      if (closed !== undefined) break
      const from = received.length
      socket.send(f.data, { binary: f.binary })
      const quietOk = f.describe.startsWith('response.processed')
      const deadline = Date.now() + (quietOk ? 300 : 10_000)
      let done = false
      while (!done && closed === undefined && Date.now() < deadline) {
        for (const text of received.slice(from)) {
          const event = JSON.parse(text) as {
            type?: string
            status?: number
            error?: Record<string, unknown>
          }
          if (!TERMINAL.has(event.type ?? '')) continue
          done = true
          outcomes.push(event.type === 'error' ? `error ${event.status}` : `${event.type}`)
          if (event.type === 'error') {
            const e = event.error ?? {}
            if ((event.status ?? 0) >= 500)
              problems.push(`error frame ${event.status}: ${text.slice(0, 200)}`)
            if (![e['message'], e['type'], e['code']].every((v) => typeof v === 'string')) {
              problems.push(`error frame outside the envelope: ${text.slice(0, 200)}`)
            }
          }
        }
        if (!done) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 50)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
        }
      }
      if (!done) outcomes.push(closed === undefined ? 'silent' : `close ${closed}`)
      if (closed !== undefined && !PROPER_CLOSE.has(closed)) problems.push(`closed with ${closed}`)
      if (!done && closed === undefined && !quietOk) problems.push(`no answer to ${f.describe}`)
    }
  } finally {
    socket.terminate()
  }
  return { problems, outcomes, text: received.join('\n') }
}
