import { Agent, request } from 'undici'
import type { HostileRequest } from './hostile-requests.js'

/** Longest any fuzzed request may take before it counts as a hang. */
const REQUEST_TIMEOUT_MS = 10_000

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

const agent = new Agent({ connections: 4, keepAliveTimeout: 1000 })

/** Sends `req` to `baseUrl` over real HTTP; rejects when no full answer comes within the timeout. */
export async function send(baseUrl: string, req: HostileRequest): Promise<Answer> {
  const res = await request(`${baseUrl}${req.target}`, {
    dispatcher: agent,
    method: req.method as 'GET',
    headers: req.headers,
    ...(req.body ? { body: req.body.bytes } : {}),
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text }
}

/** Where an error answer's envelope comes from: the path's scope (app.ts, error-scopes.ts). */
function envelopeOf(path: string): 'openai' | 'dashboard' | 'either' {
  if (/^\/(v1|backend-api|api\/codex)(\/|$|\?)/.test(path)) return 'openai'
  if (/^\/api(\/|$|\?)/.test(path)) return 'dashboard'
  return 'either'
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/** The problems with `answer` to `req` (empty when every invariant holds). */
export function violations(req: HostileRequest, answer: Answer, secrets: string[]): string[] {
  const out: string[] = []
  if (answer.status >= 500) out.push(`status ${answer.status}`)
  const everything = `${JSON.stringify(answer.headers)}\n${answer.text}`
  for (const secret of secrets) {
    if (everything.includes(secret))
      out.push(`a planted secret (${secret.slice(0, 6)}…) in the answer`)
  }
  if (req.method === 'HEAD') {
    if (answer.text !== '') out.push('HEAD answer has a body')
    return out
  }
  if (answer.status < 400) return [...out, ...streamProblems(answer)]
  // Prometheus scrapers read text: /metrics refuses a bad token in text/plain by contract.
  if (req.target.startsWith('/metrics') && answer.status === 401) return out
  let parsed: unknown
  try {
    parsed = JSON.parse(answer.text)
  } catch {
    out.push(`error body is not JSON: ${answer.text.slice(0, 120)}`)
    return out
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error
  const kind = envelopeOf(req.target)
  if (!error || !isString(error['message']) || !isString(error['code'])) {
    out.push(`error body is not an envelope: ${answer.text.slice(0, 200)}`)
  } else if (kind === 'openai' && !isString(error['type'])) {
    out.push(`OpenAI envelope without type: ${answer.text.slice(0, 200)}`)
  } else if (kind === 'dashboard' && Object.keys(error).sort().join() !== 'code,message') {
    out.push(`dashboard envelope with other keys: ${answer.text.slice(0, 200)}`)
  } else if (kind === 'dashboard' && Object.keys(parsed as object).length !== 1) {
    out.push(`dashboard envelope with keys beside error: ${answer.text.slice(0, 200)}`)
  }
  return out
}

/**
 * A streamed answer (the proxy's SSE) must end in a terminal event and carry no server error: with
 * a working fake upstream, a server_error in the stream is the in-band form of a 5xx.
 */
function streamProblems(answer: Answer): string[] {
  if (!String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) return []
  const out: string[] = []
  const terminal =
    /event: (response\.(completed|failed|incomplete)|error)\n/.test(answer.text) ||
    answer.text.includes('data: [DONE]')
  if (!terminal) out.push(`stream without a terminal event: …${answer.text.slice(-200)}`)
  if (answer.text.includes('server_error'))
    out.push(`server_error in the stream: ${answer.text.slice(-300)}`)
  return out
}

/**
 * Whether the request got past routing and the scope's guard to the route's own code: what is
 * refused before it (unmatched path, bad credentials, a cross-site origin) does not count.
 */
export function reachedHandler(answer: Answer): boolean {
  if (![401, 403, 404, 405].includes(answer.status)) return true
  try {
    const error = (JSON.parse(answer.text) as { error?: { code?: string; message?: string } }).error
    if (answer.status === 404) return !error?.message?.startsWith('No route for')
    const code = error?.code ?? ''
    return !/authentication_required|invalid_api_key|csrf_rejected|totp_required|method_not_allowed/.test(
      code,
    )
  } catch {
    return false
  }
}

/** Per-route tally of what the fuzzer saw, for the reach check and the printed summary. */
export class Tally {
  readonly byRoute = new Map<
    string,
    { sent: number; reached: number; statuses: Map<number, number> }
  >()

  note(route: string, answer: Answer): void {
    const entry = this.byRoute.get(route) ?? { sent: 0, reached: 0, statuses: new Map() }
    entry.sent += 1
    if (reachedHandler(answer)) entry.reached += 1
    entry.statuses.set(answer.status, (entry.statuses.get(answer.status) ?? 0) + 1)
    this.byRoute.set(route, entry)
  }

  unreached(routes: string[]): string[] {
    return routes.filter((route) => (this.byRoute.get(route)?.reached ?? 0) === 0)
  }

  summary(): string {
    return [...this.byRoute]
      .map(
        ([route, e]) =>
          `${route}: ${e.sent} sent, ${e.reached} reached, ${[...e.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      )
      .join('\n')
  }
}
