/**
 * What one replica tells the others so their caches drop at once instead of after their short
 * cache times: settings (password, TOTP, routing), the account set and states, a conversation's
 * pin, the overflow upstreams, the API keys and their rules. Caches keep their short lifetimes as
 * the fallback when a message is lost (a reconnect also drops everything, see PgNotifyBus).
 */
export type ClusterTopic = 'settings' | 'accounts' | 'pin' | 'overflow' | 'api-keys' | 'hello'

export interface ClusterMessage {
  topic: ClusterTopic
  /** Which entry changed (the pin's key); absent: the whole cache. */
  key?: string
}

export type ClusterHandler = (message: ClusterMessage) => void

export interface ClusterBus {
  /** Tells the other replicas (never this one: it changed its own cache already). */
  publish(message: ClusterMessage): void
  /** Messages from other replicas; `resync` when messages may have been missed (reconnect). */
  subscribe(handler: ClusterHandler, resync: () => void): void
  /** Other replicas heard from lately (their heartbeats); 0 for a process on its own. */
  peerCount(): number
  close(): Promise<void>
}

/** One process (SQLite, or PostgreSQL without peers to tell): nothing to send or hear. */
export class LocalBus implements ClusterBus {
  publish(): void {}
  subscribe(): void {}
  peerCount(): number {
    return 0
  }
  async close(): Promise<void> {}
}

const TOPICS: ReadonlySet<string> = new Set<ClusterTopic>([
  'settings',
  'accounts',
  'pin',
  'overflow',
  'api-keys',
  'hello',
])

/** A message as sent on the wire, or undefined for anything else (never trusted blindly). */
export function parseMessage(payload: string): (ClusterMessage & { from: string }) | undefined {
  try {
    const v = JSON.parse(payload) as Record<string, unknown>
    if (typeof v['from'] !== 'string' || typeof v['topic'] !== 'string') return undefined
    if (!TOPICS.has(v['topic'])) return undefined
    const key = typeof v['key'] === 'string' ? v['key'] : undefined
    return { from: v['from'], topic: v['topic'] as ClusterTopic, ...(key ? { key } : {}) }
  } catch {
    return undefined
  }
}
