import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dispatchStream, type StreamRequest } from './body-stream.js'

let server: Server
let origin: string
let handle: (req: IncomingMessage, res: ServerResponse) => void
const agent = new Agent({ keepAliveTimeout: 1000 })

beforeAll(async () => {
  server = createServer((req, res) => handle(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(() => server.closeAllConnections())
afterAll(async () => {
  await agent.close()
  await new Promise((r) => server.close(r))
})

const request = (over: Partial<StreamRequest> = {}): StreamRequest => ({
  origin,
  path: '/stream',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"a":1}',
  signal: null,
  headersTimeout: 5000,
  bodyTimeout: 5000,
  ...over,
})

/** The server answers one chunk and holds the response open; resolves when the client closes it. */
function answerOneChunkAndHold(): Promise<void> {
  return new Promise((closed) => {
    handle = (_req, res) => {
      res.on('close', () => closed())
      res.writeHead(200)
      res.write('one')
    }
  })
}

async function readAll(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = []
  for await (const c of chunks) parts.push(c)
  return Buffer.concat(parts).toString()
}

describe('dispatchStream', () => {
  it('gives the status, the headers (repeated ones as arrays) and every body byte in order', async () => {
    let received = ''
    handle = (req, res) => {
      req.on('data', (c: Buffer) => (received += c.toString()))
      res.writeHead(201, [
        ['X-One', 'a'],
        ['Set-Cookie', 'x=1'],
        ['Set-Cookie', 'y=2'],
      ])
      res.write('data: 1\n\n')
      setTimeout(() => res.end('data: 2\n\n'), 10)
    }
    const res = await dispatchStream(agent, request())
    expect(res.status).toBe(201)
    expect(res.headers['x-one']).toBe('a')
    expect(res.headers['set-cookie']).toEqual(['x=1', 'y=2'])
    expect(await readAll(res.chunks)).toBe('data: 1\n\ndata: 2\n\n')
    expect(received).toBe('{"a":1}')
  })

  it('a body larger than the buffer arrives whole while the reader is slow (backpressure)', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'x')
    handle = (_req, res) => res.end(big)
    const res = await dispatchStream(agent, request())
    let n = 0
    for await (const c of res.chunks) {
      n += c.length
      await new Promise((r) => setImmediate(r))
    }
    expect(n).toBe(big.length)
  })

  it('a connection cut mid-body throws from the reader after the bytes that came', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial')
      setTimeout(() => res.socket?.destroy(), 10)
    }
    const res = await dispatchStream(agent, request())
    const it = res.chunks[Symbol.asyncIterator]()
    expect((await it.next()).value?.toString()).toBe('partial')
    await expect(it.next()).rejects.toThrow()
  })

  it('keeps undici error codes: a silent body is UND_ERR_BODY_TIMEOUT', async () => {
    handle = (_req, res) => {
      res.writeHead(200)
      res.write('first')
    }
    const res = await dispatchStream(agent, request({ bodyTimeout: 100 }))
    await expect(readAll(res.chunks)).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' })
  })

  it('an unreachable origin rejects the head', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    await expect(
      dispatchStream(agent, request({ origin: `http://127.0.0.1:${port}` })),
    ).rejects.toThrow()
  })

  it('an abort before the answer rejects the head; after it, the reader and the server see it', async () => {
    const closed = answerOneChunkAndHold()
    const early = new AbortController()
    early.abort(new Error('client left'))
    await expect(dispatchStream(agent, request({ signal: early.signal }))).rejects.toThrow(
      'client left',
    )

    const late = new AbortController()
    const res = await dispatchStream(agent, request({ signal: late.signal }))
    const it = res.chunks[Symbol.asyncIterator]()
    await it.next()
    const pending = it.next()
    late.abort(new Error('client left'))
    await expect(pending).rejects.toThrow('client left')
    await closed
  })

  it('a reader that stops early closes the upstream request', async () => {
    const closed = answerOneChunkAndHold()
    const res = await dispatchStream(agent, request())
    for await (const _c of res.chunks) break
    await closed
  })
})
