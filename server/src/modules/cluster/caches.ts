import type { ClusterBus } from './bus.js'

/** The per-process caches another replica's change makes stale. */
export interface SharedCaches {
  forgetSettings(): void
  forgetAccounts(): void
  /** One conversation's pin, or every pin when `key` is absent. */
  forgetPin(key?: string): void
  forgetOverflow(): void
  forgetApiKeys(): void
}

/** Drops what a peer changed; after a reconnect (messages possibly missed), drops everything. */
export function followPeers(bus: ClusterBus, caches: SharedCaches): void {
  bus.subscribe(
    (message) => {
      if (message.topic === 'settings') caches.forgetSettings()
      else if (message.topic === 'accounts') caches.forgetAccounts()
      else if (message.topic === 'pin') caches.forgetPin(message.key)
      else if (message.topic === 'overflow') caches.forgetOverflow()
      else if (message.topic === 'api-keys') caches.forgetApiKeys()
    },
    () => {
      caches.forgetSettings()
      caches.forgetAccounts()
      caches.forgetPin()
      caches.forgetOverflow()
      caches.forgetApiKeys()
    },
  )
}
