import { createHash, randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import pg from 'pg'
import { parseMessage, type ClusterBus, type ClusterHandler, type ClusterMessage } from './bus.js'

const RECONNECT_MIN_MS = 250
const RECONNECT_MAX_MS = 10_000
/** pg_notify's payload limit is 8000 bytes; a pin key beyond this is dropped (whole-cache resync). */
const MAX_KEY_CHARS = 1024
/** Every replica says hello this often; one not heard from for PEER_TTL_MS is gone. */
const HELLO_MS = 2000
const PEER_TTL_MS = 3 * HELLO_MS
/** Notifications sent in one statement at most (each payload is under 8000 bytes). */
const NOTIFY_BATCH = 50

/**
 * Cache invalidation between replicas over PostgreSQL LISTEN/NOTIFY: one dedicated connection
 * listens; a publish is one `pg_notify` on that connection (never on the request's pool). The
 * channel is derived from the database and schema, so replicas on one database hear each other
 * and nobody else does. After a lost connection every cache is dropped (messages may have been
 * missed) and the connection is re-established with backoff.
 */
export class PgNotifyBus implements ClusterBus {
  readonly id = randomUUID()
  #client: pg.Client | undefined
  #channel: string | undefined
  #handlers: Array<{ handle: ClusterHandler; resync: () => void }> = []
  #closed = false
  #retryMs = RECONNECT_MIN_MS
  #timer: NodeJS.Timeout | undefined
  #hello: NodeJS.Timeout
  #ready: Promise<void>
  readonly #peers = new Map<string, number>()
  /** Payloads waiting for the connection's current query to finish. */
  #outbox: string[] = []
  #sending = false

  constructor(
    private readonly url: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#ready = this.#connect()
    this.#hello = setInterval(() => this.publish({ topic: 'hello' }), HELLO_MS)
    this.#hello.unref()
  }

  peerCount(): number {
    const now = Date.now()
    let n = 0
    for (const [id, at] of this.#peers) {
      if (now - at <= PEER_TTL_MS) n++
      else this.#peers.delete(id)
    }
    return n
  }

  /** Resolves once listening (or after the first failed attempt; it keeps retrying). */
  get ready(): Promise<void> {
    return this.#ready
  }

  publish(message: ClusterMessage): void {
    if (!this.#client || !this.#channel) return
    const key = message.key && message.key.length <= MAX_KEY_CHARS ? message.key : undefined
    this.#outbox.push(
      JSON.stringify({ from: this.id, topic: message.topic, ...(key ? { key } : {}) }),
    )
    if (!this.#sending) void this.#send()
  }

  /**
   * One query at a time on the listening connection (pg queues a second query on a busy client
   * only with a deprecation warning, and pg 9 will refuse it): what piles up meanwhile goes out
   * together in the next statement, in order.
   */
  async #send(): Promise<void> {
    this.#sending = true
    try {
      while (this.#outbox.length > 0) {
        const client = this.#client
        const channel = this.#channel
        const batch = this.#outbox.splice(0, NOTIFY_BATCH)
        // No connection: as before, a message without a listener is dropped (a reconnect resyncs).
        if (!client || !channel) continue
        const calls = batch.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ')
        try {
          await client.query(`select ${calls}`, [channel, ...batch])
        } catch (err) {
          this.log.warn({ err, messages: batch.length }, 'cluster notify failed')
        }
      }
    } finally {
      this.#sending = false
    }
  }

  subscribe(handle: ClusterHandler, resync: () => void): void {
    this.#handlers.push({ handle, resync })
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    clearInterval(this.#hello)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => undefined)
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('error', () => undefined)
    try {
      await client.connect()
      const where = await client.query<{ db: string; schema: string }>(
        'select current_database() as db, current_schema() as schema',
      )
      const { db, schema } = where.rows[0]!
      const channel = `codex_lb_${createHash('sha256').update(`${db}.${schema}`).digest('hex').slice(0, 24)}`
      await client.query(`listen ${channel}`)
      client.on('notification', (n) => this.#deliver(n.payload ?? ''))
      client.on('end', () => this.#lost(client))
      if (this.#closed) {
        await client.end().catch(() => undefined)
        return
      }
      const reconnected = this.#channel !== undefined
      this.#client = client
      this.#channel = channel
      this.#retryMs = RECONNECT_MIN_MS
      // Say hello at once, so peers count this replica before its first interval passes.
      this.publish({ topic: 'hello' })
      if (reconnected) this.#resync()
    } catch (err) {
      await client.end().catch(() => undefined)
      this.log.warn({ err }, 'cluster listener could not connect; retrying')
      this.#retry()
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return
    this.#client = undefined
    if (this.#closed) return
    this.log.warn('cluster listener lost its connection; caches fall back to their short lifetimes')
    this.#resync()
    this.#retry()
  }

  #retry(): void {
    if (this.#closed) return
    const wait = this.#retryMs
    this.#retryMs = Math.min(RECONNECT_MAX_MS, this.#retryMs * 2)
    this.#timer = setTimeout(() => void this.#connect(), wait)
    this.#timer.unref()
  }

  #deliver(payload: string): void {
    const message = parseMessage(payload)
    if (!message || message.from === this.id) return
    this.#peers.set(message.from, Date.now())
    if (message.topic === 'hello') return
    for (const h of this.#handlers) {
      try {
        h.handle(message)
      } catch (err) {
        this.log.warn({ err, topic: message.topic }, 'cluster message handler failed')
      }
    }
  }

  #resync(): void {
    for (const h of this.#handlers) h.resync()
  }
}
