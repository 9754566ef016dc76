import type { FastifyRequest } from 'fastify'
import { allows, trustedProxyList } from '../../lib/networks.js'

/** The user an authenticating proxy vouches for, or null. */
export type ProxyUser = (request: FastifyRequest) => string | null

const MAX_USER_CHARS = 256

/**
 * Dashboard access vouched for by an authenticating reverse proxy (Authelia, oauth2-proxy, …):
 * the named header counts only on connections that come straight from one of the trusted proxies
 * (the socket's peer, never an X-Forwarded-For claim), so a client that reaches the server
 * directly cannot send it.
 */
export function proxyUserFrom(header: string, trustedProxies: readonly string[]): ProxyUser {
  const trusted = trustedProxyList(trustedProxies)
  const name = header.toLowerCase()
  return (request) => {
    const peer = request.socket.remoteAddress
    if (!peer || !allows(trusted, peer)) return null
    const raw = request.headers[name]
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? ''
    return value === '' || value.length > MAX_USER_CHARS ? null : value
  }
}
