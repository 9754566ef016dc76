import type { BlockList } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { NetworkNotAllowedError } from '../errors/index.js'
import { allows, parseNetworks } from '../lib/networks.js'

/**
 * Which client networks may use which part of the server (CODEX_LB_PROXY_ALLOWED_NETWORKS and
 * CODEX_LB_DASHBOARD_ALLOWED_NETWORKS). The client address is request.ip, i.e. what
 * CODEX_LB_TRUSTED_PROXIES makes of X-Forwarded-For: a forged header from an untrusted peer is
 * never believed. Health and metrics stay reachable for probes and scrapers (metrics has its token).
 */

const PROXY_PREFIXES = ['/v1', '/backend-api', '/api/codex']
const OPEN_PATHS = ['/health', '/metrics']

export type Area = 'proxy' | 'dashboard' | 'open'

/** Which part of the server a URL belongs to (also decides the security headers). */
export function areaOf(url: string): Area {
  const path = url.split('?')[0] ?? url
  if (OPEN_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return 'open'
  if (PROXY_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return 'proxy'
  return 'dashboard'
}

export interface NetworkPolicy {
  proxy: BlockList | null
  dashboard: BlockList | null
}

/** From the validated config strings; an unset or empty list allows every network. */
export function networkPolicyFrom(allowed: {
  proxy: string | null
  dashboard: string | null
}): NetworkPolicy {
  const listOf = (raw: string | null) => {
    if (raw === null) return null
    const parsed = parseNetworks(raw)
    return parsed.entries.length ? parsed.list : null
  }
  return { proxy: listOf(allowed.proxy), dashboard: listOf(allowed.dashboard) }
}

/** One root hook: the route's own scope then answers the 403 in its envelope (OpenAI or dashboard). */
export function installNetworkPolicy(app: FastifyInstance, policy: NetworkPolicy): void {
  if (!policy.proxy && !policy.dashboard) return
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const area = areaOf(request.url)
    if (area === 'open') return
    const list = area === 'proxy' ? policy.proxy : policy.dashboard
    if (list && !allows(list, request.ip)) throw new NetworkNotAllowedError(area)
  })
}
