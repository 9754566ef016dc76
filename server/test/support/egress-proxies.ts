import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

/*
 * Two tiny egress proxies for tests: an HTTP CONNECT proxy and a SOCKS5 server with
 * username/password auth (RFC 1928/1929). Each counts the tunnels it opened (per target) and the
 * attempts it refused, and reads the request lines of plain-HTTP traffic in its tunnels (the fake
 * upstream speaks http), so a test can tell which calls really went through it.
 */

export interface TestEgressProxy {
  /** The URL to configure (credentials included when the proxy requires them). */
  url: string
  /** Tunnels opened, in order, as `host:port` of the target. */
  tunnels: string[]
  /** Connections refused (bad or missing credentials). */
  refused: number
  /** `METHOD /path` of each plain-HTTP request sent through a tunnel (query dropped). */
  requests(): string[]
  close(): Promise<void>
}

// Anywhere: a request may follow the previous body directly on a kept-alive connection.
const REQUEST_LINE = /(GET|POST|PUT|PATCH|DELETE) ([^ ?\r\n]+)\S* HTTP\/1\.1\r\n/g

function newProxy(): TestEgressProxy & { sent: string[] } {
  const sent: string[] = []
  return {
    url: '',
    tunnels: [],
    refused: 0,
    sent,
    requests: () =>
      sent.flatMap((text) => [...text.matchAll(REQUEST_LINE)].map((m) => `${m[1]} ${m[2]}`)),
    close: async () => {},
  }
}

function listen(server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
}

/**
 * Pipes both ways once the tunnel is up (`head`: bytes the client already sent past the handshake),
 * keeping what the client sent (as latin1 text) in `proxy.sent`.
 */
function splice(
  proxy: { sent: string[] },
  client: Socket,
  to: { host: string; port: number },
  ready: () => void,
  head: Buffer,
) {
  client.pause() // nothing is lost before the pipe takes over (it resumes the socket)
  const index = proxy.sent.push(head.toString('latin1')) - 1
  const target = connect(to.port, to.host, () => {
    ready()
    if (head.length > 0) target.write(head)
    client.on('data', (chunk: Buffer) => {
      proxy.sent[index] += chunk.toString('latin1')
    })
    client.pipe(target).pipe(client)
  })
  const end = () => {
    client.destroy()
    target.destroy()
  }
  target.on('error', end)
  client.on('error', end)
  client.on('close', end)
}

/** An HTTP proxy that only tunnels (CONNECT), optionally requiring `Proxy-Authorization: Basic`. */
export async function startHttpConnectProxy(credentials?: {
  username: string
  password: string
}): Promise<TestEgressProxy> {
  const sockets = new Set<Socket>()
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : null
  const proxy = newProxy()
  const server = createServer((client) => {
    let buffered = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) return
      client.off('data', onData)
      const [requestLine = '', ...lines] = buffered
        .subarray(0, end)
        .toString('latin1')
        .split('\r\n')
      const head = buffered.subarray(end + 4)
      const [method, target = ''] = requestLine.split(' ')
      const auth = lines
        .find((l) => l.toLowerCase().startsWith('proxy-authorization:'))
        ?.slice('proxy-authorization:'.length)
        .trim()
      if (method !== 'CONNECT' || (expected && auth !== expected)) {
        proxy.refused++
        const status = method !== 'CONNECT' ? '405 Method Not Allowed' : '407 Proxy Auth Required'
        client.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\n\r\n`)
        return
      }
      const colon = target.lastIndexOf(':')
      const host = target.slice(0, colon).replace(/^\[|\]$/g, '')
      const port = Number(target.slice(colon + 1))
      const ready = () => {
        proxy.tunnels.push(`${host}:${port}`)
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      }
      splice(proxy, client, { host, port }, ready, head)
    }
    client.on('data', onData)
    client.on('error', () => client.destroy())
  })
  const port = await listen(server, sockets)
  const auth = credentials
    ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@`
    : ''
  proxy.url = `http://${auth}127.0.0.1:${port}`
  proxy.close = closer(server, sockets)
  return proxy
}

/** Reads exactly what the handshake needs from a socket, in order, across chunk boundaries. */
class Reader {
  #buffer = Buffer.alloc(0)
  #waiting: (() => void) | null = null

  constructor(private readonly socket: Socket) {
    socket.on('data', this.#onData)
  }

  #onData = (chunk: Buffer) => {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    this.#waiting?.()
  }

  async take(n: number): Promise<Buffer> {
    while (this.#buffer.length < n) {
      if (this.socket.destroyed) throw new Error('socket closed')
      await new Promise<void>((resolve) => {
        this.#waiting = resolve
        this.socket.once('close', resolve)
      })
      this.#waiting = null
    }
    const out = this.#buffer.subarray(0, n)
    this.#buffer = this.#buffer.subarray(n)
    return out
  }

  /** Stops reading; returns what arrived beyond the handshake. */
  release(): Buffer {
    this.socket.off('data', this.#onData)
    return this.#buffer
  }
}

async function socksHandshake(
  client: Socket,
  credentials: { username: string; password: string },
  proxy: TestEgressProxy & { sent: string[] },
): Promise<void> {
  const r = new Reader(client)
  const [version, count = 0] = await r.take(2)
  const methods = [...(await r.take(count))]
  if (version !== 5 || !methods.includes(2)) {
    proxy.refused++
    client.end(Buffer.from([5, 0xff]))
    return
  }
  client.write(Buffer.from([5, 2]))
  await r.take(1) // sub-negotiation version 1
  const username = (await r.take((await r.take(1))[0]!)).toString('utf8')
  const password = (await r.take((await r.take(1))[0]!)).toString('utf8')
  if (username !== credentials.username || password !== credentials.password) {
    proxy.refused++
    client.end(Buffer.from([1, 1]))
    return
  }
  client.write(Buffer.from([1, 0]))
  const [, command, , addressType] = await r.take(4)
  let host: string
  if (addressType === 1) host = [...(await r.take(4))].join('.')
  else if (addressType === 3) host = (await r.take((await r.take(1))[0]!)).toString('utf8')
  else throw new Error('IPv6 targets are not supported by the test proxy')
  const port = (await r.take(2)).readUInt16BE(0)
  if (command !== 1) {
    client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]))
    return
  }
  const ready = () => {
    proxy.tunnels.push(`${host}:${port}`)
    client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
  }
  splice(proxy, client, { host, port }, ready, r.release())
}

/** A SOCKS5 server (CONNECT only) that requires username/password authentication. */
export async function startSocks5Proxy(credentials: {
  username: string
  password: string
}): Promise<TestEgressProxy> {
  const sockets = new Set<Socket>()
  const proxy = newProxy()
  const server = createServer((client) => {
    client.on('error', () => client.destroy())
    socksHandshake(client, credentials, proxy).catch(() => client.destroy())
  })
  const port = await listen(server, sockets)
  const user = encodeURIComponent(credentials.username)
  proxy.url = `socks5://${user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`
  proxy.close = closer(server, sockets)
  return proxy
}
