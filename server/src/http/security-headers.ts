import type { FastifyInstance } from 'fastify'
import { areaOf } from './network-policy.js'

/**
 * The dashboard's Content-Security-Policy. Scripts only from our own origin: web/index.html has no
 * inline script (the theme bootstrap is /theme-init.js) and Vite emits module files. Styles allow
 * 'unsafe-inline' because Radix (popper positioning), recharts and sonner set `style` attributes
 * and sonner injects a <style> element at run time; a style cannot run code, so this leaves the
 * script policy intact. `data:` images: the TOTP QR code is a data:image/svg+xml URI.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

/** Features the dashboard never uses, denied to it and to anything it could embed. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'

/** One year; no includeSubDomains or preload, which would bind hosts this server does not own. */
export const HSTS = 'max-age=31536000'

const COMMON: ReadonlyArray<readonly [string, string]> = [['x-content-type-options', 'nosniff']]

const DASHBOARD: ReadonlyArray<readonly [string, string]> = [
  ...COMMON,
  ['content-security-policy', DASHBOARD_CSP],
  // Not `no-referrer`: under it a browser sends `Origin: null` on the dashboard's own POSTs,
  // which the cross-site check must refuse. `same-origin` keeps the real Origin for our requests
  // and sends nothing (no path, no query) to any other site.
  ['referrer-policy', 'same-origin'],
  // For browsers without CSP frame-ancestors.
  ['x-frame-options', 'DENY'],
  ['cross-origin-opener-policy', 'same-origin'],
  // No other site may load our answers as a subresource (an /api JSON as a <script> or <img> from a
  // sibling subdomain, where SameSite cookies still go): nothing legitimate embeds them.
  ['cross-origin-resource-policy', 'same-origin'],
  ['permissions-policy', PERMISSIONS_POLICY],
]

/**
 * Security headers on every response, set in one root onRequest hook so error answers carry them
 * too. The dashboard (its HTML, static files and /api) gets the browser policy; the proxy routes,
 * health and metrics, read by programs, get only nosniff: a CSP on an SSE stream protects nothing and
 * costs bytes on the hot path. Written on the raw response so a hijacked stream (the proxy's SSE
 * commit writes its own head) keeps them. HSTS only when the request came over https (directly or
 * as a trusted proxy's X-Forwarded-Proto says): sent over http a browser would ignore it anyway, and
 * a local http://127.0.0.1 dashboard must not be pinned to https.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  // Callback style: no promise per request on the proxy's hot path.
  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw
    const dashboard = areaOf(request.url) === 'dashboard'
    for (const [name, value] of dashboard ? DASHBOARD : COMMON) raw.setHeader(name, value)
    if (dashboard && request.protocol === 'https') raw.setHeader('strict-transport-security', HSTS)
    done()
  })
}
