import type { FastifyRequest } from 'fastify'
import { DashboardForbiddenError } from '../errors/index.js'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** What Fetch Metadata may say about a request that we accept without an Origin. */
const SAFE_FETCH_SITES = new Set(['same-origin', 'none'])

/** The origin (`scheme://host[:port]`, default port dropped) of a URL-like string; null if none. */
export function originOf(value: string): string | null {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

/** The request's own host (Fastify believes X-Forwarded-Host only from trusted proxies). */
function ownHost(request: FastifyRequest, scheme: string): string | null {
  const host = request.host
  if (!host) return null
  const origin = originOf(`${scheme}://${host}`)
  return origin === null ? null : new URL(origin).host
}

/**
 * Whether `origin` is the origin the request was sent to: same host and port, and the scheme the
 * request arrived with (X-Forwarded-Proto from a trusted proxy counts). An https Origin reaching us
 * as plain http is also ours: a TLS terminator that is not in CODEX_LB_TRUSTED_PROXIES. Only whoever
 * controls this host's certificate could serve that page, so it is not a cross-site request; the
 * reverse (an http page posting to an https server) is a downgrade and is refused.
 */
function isOwnOrigin(origin: string, request: FastifyRequest): boolean {
  const from = new URL(origin)
  const scheme = from.protocol.slice(0, -1)
  const arrived = request.protocol
  if (scheme !== arrived && !(scheme === 'https' && arrived === 'http')) return false
  return ownHost(request, scheme) === from.host
}

export type CrossSiteCheck = (request: FastifyRequest) => Promise<void>

/**
 * The second layer of cross-site request protection on /api, after the SameSite=Lax cookie: a
 * state-changing request must come from the dashboard's own origin or one on the allow-list
 * (CODEX_LB_DASHBOARD_ALLOWED_ORIGINS). Browsers send `Origin` on every cross-origin request and on
 * every POST/PUT/PATCH/DELETE made by fetch or a form, so it decides. `Origin: null` (a sandboxed
 * frame, a data: URL, a cross-site redirect) is refused. Without an Origin, Fetch Metadata decides:
 * `cross-site` and `same-site` (a sibling subdomain: SameSite cookies still go there) are refused.
 * A request with neither header did not come from a browser page (curl, a script, the CLI): such a
 * client only has the cookie it was handed, so there is no ambient credential to forge with.
 */
export function crossSiteCheck(allowedOrigins: readonly string[]): CrossSiteCheck {
  const allowed = new Set(allowedOrigins)
  return async (request) => {
    if (!STATE_CHANGING.has(request.method)) return
    const origin = request.headers.origin
    if (origin !== undefined) {
      const normalized = originOf(origin)
      if (normalized !== null && (allowed.has(normalized) || isOwnOrigin(normalized, request))) {
        return
      }
    } else {
      const site = request.headers['sec-fetch-site']
      if (site === undefined || SAFE_FETCH_SITES.has(site)) return
    }
    throw new DashboardForbiddenError('Cross-origin request refused', 'csrf_rejected')
  }
}
