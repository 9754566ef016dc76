import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export interface TcpCut {
  /** The local port to connect to instead of the target's. */
  port: number
  /** Drops every connection and stops listening: new connections are refused, like an outage. */
  cut(): Promise<void>
  /** Listens again on the same port. */
  restore(): Promise<void>
}

/** A TCP hop in front of `host:port` that a test can cut and restore (a database outage). */
export async function startTcpCut(host: string, port: number): Promise<TcpCut> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  const listen = (at: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(port, host)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('error', () => undefined)
          socket.on('close', () => sockets.delete(socket))
        }
        client.pipe(upstream).pipe(client)
      })
      s.once('error', reject)
      s.listen(at, '127.0.0.1', () => resolve((s.address() as AddressInfo).port))
      server = s
    })
  const local = await listen(0)
  return {
    port: local,
    cut: async () => {
      const s = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()))
    },
    restore: async () => {
      if (!server) await listen(local)
    },
  }
}
