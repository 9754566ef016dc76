import fc from 'fast-check'
import {
  heavyBodies,
  hostileBody,
  hostileUpload,
  sampleBody,
  uploadBody,
  type Body,
} from './hostile-bodies.js'
import { ROUTE_TABLE } from './routes.js'

/** One request the fuzzer sends: the route it aims at and everything a client controls. */
export interface HostileRequest {
  route: string
  method: string
  /** Path with query string, already a valid request target. */
  target: string
  headers: Record<string, string>
  body: Body | undefined
  /** Whether the request carries the valid credentials of its scope. */
  authenticated: boolean
}

/** Credentials the app under test accepts, and ids of things it holds (for path params). */
export interface Credentials {
  /** Header sets that authenticate (API key, session cookie, account token …). */
  valid: Array<Record<string, string>>
  ids: string[]
  /** An auth.json the app accepts (an account it holds), for upload routes. */
  authJson?: Record<string, unknown>
}

const visible = (max: number) =>
  fc.string({ unit: 'binary-ascii', maxLength: max }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)

/** Text a path segment or query value may carry: encoded unicode, and raw escapes that are not. */
const shortSegment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%', '%zz', '%ff%fe', '%c3', '%00', '..%2f..%2fetc%2fpasswd', '%2e%2e', '.'),
  fc.constantFrom('null', 'undefined', '0', '-1', '1e999', 'NaN', '__proto__', 'constructor'),
)
/** A path segment: also a long one (the whole request head stays under Node's 16 kB). */
const segment = fc.oneof({ weight: 9, arbitrary: shortSegment }, fc.constant('x'.repeat(3000)))

const garbageAuthorization = fc.oneof(
  visible(80),
  visible(60).map((s) => `Bearer ${s}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic Og==',
    'bearer sk-clb-',
    'Bearer sk-clb-' + 'A'.repeat(2000),
  ),
)

const garbageCookie = fc.oneof(
  visible(100),
  visible(80).map((s) => `codex_lb_dashboard_session=${s}`),
  fc.constantFrom(
    'codex_lb_dashboard_session=',
    'codex_lb_dashboard_session="',
    'codex_lb_dashboard_session=%ff%fe',
    'codex_lb_dashboard_session=a.b.c; codex_lb_dashboard_session=d',
    `codex_lb_dashboard_session=${'A'.repeat(2000)}`,
  ),
)

/** Headers a hostile client adds: forwarded-for lies, odd accept/origin values, random names. */
const extraHeaders = fc.record(
  {
    'x-forwarded-for': fc.oneof(visible(60), fc.constantFrom('::1, 127.0.0.1', '999.1.1.1', '')),
    'x-real-ip': visible(40),
    'x-request-id': visible(80),
    'chatgpt-account-id': visible(60),
    session_id: visible(60),
    'x-codex-turn-state': visible(60),
    accept: fc.constantFrom('text/event-stream', '*/*', 'text/html', 'application/xml', ''),
    'accept-encoding': fc.constantFrom('gzip', 'br, zstd', 'identity;q=0', 'bogus'),
    'user-agent': visible(120),
  },
  { requiredKeys: [] },
)

/** A cross-site browser request: refused on state-changing /api routes, so kept rare. */
const crossSite = fc.oneof(
  fc.constantFrom('null', 'http://evil.example', 'not a url').map((origin) => ({ origin })),
  fc.constant({ 'sec-fetch-site': 'cross-site' }),
)

const randomHeaders = fc.dictionary(
  token.filter(
    (name) =>
      ![
        'host',
        'content-length',
        'transfer-encoding',
        'connection',
        'upgrade',
        'expect',
        'te',
        'keep-alive',
      ].includes(name),
  ),
  visible(60),
  { maxKeys: 4 },
)

function query(fields: string[]): fc.Arbitrary<string> {
  const key = fields.length > 0 ? fc.oneof(fc.constantFrom(...fields), shortSegment) : shortSegment
  const pair = fc
    .tuple(key, fc.oneof(shortSegment, fc.constant('y'.repeat(1500))), fc.boolean())
    .map(([k, v, bracket]) => (bracket ? `${k}[]=${v}` : `${k}=${v}`))
  return fc
    .array(pair, { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''))
}

/** Requests aimed at `route` ("METHOD /path/:param"), with the route's credentials most of the time. */
export function hostileRequest(route: string, creds: Credentials): fc.Arbitrary<HostileRequest> {
  const spec = ROUTE_TABLE[route]
  if (!spec) throw new Error(`no fuzz spec for ${route}`)
  const [method = 'GET', pattern = '/'] = route.split(' ')
  const param = creds.ids.length > 0 ? fc.oneof(fc.constantFrom(...creds.ids), segment) : segment
  const path = fc.array(param, { minLength: 4, maxLength: 4 }).map((values) => {
    let i = 0
    return pattern.replace(/:[a-zA-Z]+/g, () => values[i++] ?? 'x')
  })
  const auth = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(...creds.valid).map((h) => ({ headers: h, ok: true })),
    },
    { weight: 1, arbitrary: fc.constant({ headers: {}, ok: false }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(garbageAuthorization, garbageCookie)
        .map(([authorization, cookie]) => ({ headers: { authorization, cookie }, ok: false })),
    },
  )
  const withBody = method !== 'GET' || ROUTE_TABLE[route]?.sample !== undefined
  return fc
    .record({
      path,
      query: query(spec.query ?? []),
      auth,
      extra: fc.option(extraHeaders, { freq: 3 }),
      random: fc.option(randomHeaders, { freq: 3 }),
      site: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, crossSite),
      body:
        spec.upload && creds.authJson
          ? fc.oneof(
              { weight: 3, arbitrary: hostileUpload(spec.upload, creds.authJson) },
              hostileBody(undefined),
            )
          : withBody
            ? hostileBody(spec.sample, spec.fields)
            : fc.constant(undefined),
      head: method === 'GET' ? fc.boolean() : fc.constant(false),
      // Now and then another method on the same path: a 404/405 in the scope's envelope.
      otherMethod: fc.oneof(
        { weight: 10, arbitrary: fc.constant(undefined) },
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      ),
    })
    .map(({ path: p, query: q, auth: a, extra, random, site, body, head, otherMethod }) => {
      const headers: Record<string, string> = { ...random, ...extra, ...site, ...a.headers }
      if (body?.contentType !== undefined) headers['content-type'] = body.contentType
      if (body?.contentEncoding !== undefined) headers['content-encoding'] = body.contentEncoding
      return {
        route,
        method: otherMethod ?? (head ? 'HEAD' : method),
        target: `${p}${q}`,
        headers,
        body: head || (otherMethod ?? method) === 'GET' ? undefined : body,
        authenticated: a.ok,
      }
    })
}

/**
 * Requests tried first on every route, whatever the random cases draw: the well-formed one (valid
 * credentials, a planted id, the sample body), so each route is reached past its guard; and, where
 * a body is read, none at all, a JSON `null` (code that touches the body before validating it),
 * and the heavy kinds (10k-deep, 1 MB string, invalid UTF-8).
 */
export function fixedRequests(route: string, creds: Credentials): HostileRequest[] {
  const [method = 'GET', pattern = '/'] = route.split(' ')
  const spec = ROUTE_TABLE[route]
  const sample = spec?.sample
  const base: HostileRequest = {
    route,
    method,
    target: pattern.replace(/:[a-zA-Z]+/g, creds.ids[0] ?? 'x'),
    headers: { ...creds.valid[0] },
    body: undefined,
    authenticated: true,
  }
  if (method === 'GET') return [base]
  if (spec?.upload && creds.authJson) {
    const upload = uploadBody(spec.upload, creds.authJson)
    return [
      {
        ...base,
        headers: { ...base.headers, 'content-type': upload.contentType ?? '' },
        body: upload,
      },
      base,
    ]
  }
  const json = { ...base.headers, 'content-type': 'application/json' }
  return [
    sample ? { ...base, headers: json, body: sampleBody(sample) } : base,
    ...(sample ? [base] : []),
    { ...base, headers: json, body: sampleBody(null) },
    ...heavyBodies(sample ?? {}).map((body) => ({ ...base, headers: json, body })),
  ]
}
