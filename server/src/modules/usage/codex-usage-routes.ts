import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError, ProxyAuthError, ProxyRateLimitError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamClient } from '../../upstream/client.js'
import { fetchUsage } from '../../upstream/usage-client.js'
import type { Account } from '../accounts/index.js'
import { codexUsageBody } from './pooled-usage.js'
import type { UsageService } from './service.js'

export interface CodexUsageRoutesOptions {
  usage: UsageService
  accounts: { listByChatgptAccountId(chatgptAccountId: string): Promise<Account[]> }
  upstream: UpstreamClient
  upstreamBaseUrl: string
  timeoutMs: number
  clock: Clock
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name]
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined
}

/**
 * The caller must be a Codex client of one of our own accounts: its ChatGPT bearer token and
 * `chatgpt-account-id`, checked against the pool and then validated upstream (seed 002 §1–§3).
 * A dashboard cookie or an API key opens nothing here.
 */
async function verifyCodexCaller(request: FastifyRequest, opts: CodexUsageRoutesOptions) {
  const auth = header(request, 'authorization')
  const token = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : ''
  if (!token)
    throw new ProxyAuthError('Missing ChatGPT token in Authorization header', 'invalid_api_key')
  const accountId = header(request, 'chatgpt-account-id')
  if (!accountId) throw new ProxyAuthError('Missing chatgpt-account-id header')
  const known = (await opts.accounts.listByChatgptAccountId(accountId)).some(
    (a) => a.status !== 'paused' && a.status !== 'deactivated',
  )
  if (!known) throw new ProxyAuthError('Unknown or inactive chatgpt-account-id')
  const check = await fetchUsage(
    opts.upstream,
    opts.upstreamBaseUrl,
    { accessToken: token, chatgptAccountId: accountId },
    { timeoutMs: opts.timeoutMs, maxRetries: 0, requestId: request.id ?? randomUUID() },
  )
  if (check.status === 200) return
  if (check.status === 429) throw new ProxyRateLimitError('ChatGPT usage endpoint is rate limited')
  if (check.status === 401 || check.status === 403) {
    throw new ProxyAuthError('Invalid ChatGPT token or chatgpt-account-id')
  }
  throw new AppError('Unable to validate ChatGPT credentials at this time', {
    status: 503,
    code: 'upstream_error',
    type: 'server_error',
  })
}

/** `GET /api/codex/usage`: the pool's usage in the Codex CLI's rate-limit shape. */
export async function codexUsageRoutes(scope: FastifyInstance, opts: CodexUsageRoutesOptions) {
  scope.addHook('onRequest', async (request) => verifyCodexCaller(request, opts))
  const handler = async () => codexUsageBody(await opts.usage.pooled(), opts.clock.now())
  scope.get('/usage', handler)
  scope.get('/usage/', handler)
}
