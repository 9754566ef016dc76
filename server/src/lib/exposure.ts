import { isIP } from 'node:net'

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true
  const plain = host.replace(/^\[|\]$/g, '')
  if (isIP(plain) === 4) return plain.startsWith('127.')
  if (isIP(plain) === 6) return plain === '::1'
  return false
}

/**
 * What is open to everyone who can reach a non-loopback bind address: the dashboard without a
 * password, the proxy (and so the accounts) without API keys. Empty on loopback or when both are
 * protected.
 */
export function exposureWarnings(
  host: string,
  protection: { passwordConfigured: boolean; apiKeyAuthEnabled: boolean },
): string[] {
  if (isLoopbackHost(host)) return []
  const open: string[] = []
  if (!protection.passwordConfigured) {
    open.push('the dashboard has no password (anyone can add, export or remove accounts)')
  }
  if (!protection.apiKeyAuthEnabled) {
    open.push('the proxy needs no API key (anyone can spend your accounts)')
  }
  return open.map(
    (what) => `EXPOSED: listening on ${host}, reachable from other machines, and ${what}`,
  )
}
