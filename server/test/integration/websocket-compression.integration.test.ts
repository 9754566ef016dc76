import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { wsUrl } from '../support/ws-client.js'

const MODEL = 'gpt-5.5'
const input = [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]
/** Long enough that the text's `done` event and `response.completed` pass 1 KB; deltas stay small. */
const LONG_TEXT = 'the build keeps running while we wait. '.repeat(60)

interface Received {
  /** Payload length after decompression. */
  chars: number
  /** RSV1 on the wire: the server compressed this message. */
  compressed: boolean
  type: string
}

/** Server frames as they crossed the wire (unmasked; `ws` sends each message as one frame). */
function wireFrames(raw: Buffer): Array<{ opcode: number; rsv1: boolean }> {
  const frames: Array<{ opcode: number; rsv1: boolean }> = []
  let at = 0
  while (at + 2 <= raw.length) {
    const b0 = raw[at]!
    const len7 = raw[at + 1]! & 0x7f
    let header = 2
    let length = len7
    if (len7 === 126) [header, length] = [4, raw.readUInt16BE(at + 2)]
    if (len7 === 127) [header, length] = [10, Number(raw.readBigUInt64BE(at + 2))]
    if (at + header + length > raw.length) break
    frames.push({ opcode: b0 & 0x0f, rsv1: (b0 & 0x40) !== 0 })
    at += header + length
  }
  return frames
}

/** One turn on a client socket that offers permessage-deflate, as the Codex CLI does. */
async function deflateTurn(url: string): Promise<{ extensions: string; frames: Received[] }> {
  const ws = new WebSocket(url, { perMessageDeflate: true })
  const raw: Buffer[] = []
  ws.once('upgrade', (res: IncomingMessage) => res.socket.on('data', (d: Buffer) => raw.push(d)))
  const texts: string[] = []
  const done = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8')
      texts.push(text)
      if ((JSON.parse(text) as { type: string }).type === 'response.completed') resolve()
    })
    ws.once('error', reject)
  })
  await new Promise((resolve) => ws.once('open', resolve))
  ws.send(JSON.stringify({ type: 'response.create', model: MODEL, input }))
  await done
  const extensions = ws.extensions
  ws.close()
  const wire = wireFrames(Buffer.concat(raw)).filter((f) => f.opcode === 1)
  expect(wire).toHaveLength(texts.length)
  return {
    extensions,
    frames: texts.map((text, i) => ({
      chars: text.length,
      compressed: wire[i]!.rsv1,
      type: (JSON.parse(text) as { type: string }).type,
    })),
  }
}

describe.each([
  ['an upstream WebSocket', 'on'],
  ['upstream HTTP SSE', 'off'],
])('client permessage-deflate, turns over %s', (_name, upstream) => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness({ env: { UPSTREAM_WEBSOCKET: upstream } })
    await h.addAccount()
  })
  afterAll(async () => h.close())

  it('compresses only frames of 1 KB or more; the client reads every frame either way', async () => {
    h.fake.scriptDefault({ kind: 'ok', text: LONG_TEXT })
    const { extensions, frames } = await deflateTurn(wsUrl(h.t.url))
    expect(extensions).toMatch(/^permessage-deflate/)
    expect(frames.at(-1)?.type).toBe('response.completed')
    const big = frames.filter((f) => f.chars >= 1024)
    const small = frames.filter((f) => f.chars < 1024)
    expect(big.map((f) => f.type)).toEqual(
      expect.arrayContaining(['response.output_text.done', 'response.completed']),
    )
    expect(small.map((f) => f.type)).toContain('response.output_text.delta')
    expect(big.every((f) => f.compressed)).toBe(true)
    expect(small.some((f) => f.compressed)).toBe(false)
  })
})
