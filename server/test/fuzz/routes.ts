import type { FastifyInstance } from 'fastify'
import { registeredRoutes as allRoutes } from '../support/registered-routes.js'

/** Who a route belongs to: which app of the fuzz suite drives it, with which credentials. */
export type Scope = 'proxy' | 'codex-usage' | 'dashboard' | 'dashboard-auth' | 'root'

export interface RouteSpec {
  scope: Scope
  /** A body the route accepts (or at least reads past validation); omitted: the route takes none. */
  sample?: Record<string, unknown>
  /** A multipart upload route: the file field it reads (the fuzzer sends an auth.json there). */
  upload?: string
  /** Query fields the route reads. */
  query?: string[]
  /** The route's known body fields beyond the sample's keys (each gets wrong-typed values). */
  fields?: string[]
}

const IMAGE = 'data:image/png;base64,iVBORw0KGgo='
const TOOL_PARAMETERS = { type: 'object', properties: { q: { type: 'string' } } }
/** Valid requests with every part the translators and the relay read: the fuzzer mutates inside. */
const RESPONSES = {
  model: 'gpt-5.5',
  instructions: 'be brief',
  input: [
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'hi' },
        { type: 'input_image', image_url: IMAGE },
      ],
    },
    { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
    { type: 'function_call_output', call_id: 'call_1', output: 'found' },
  ],
  tools: [{ type: 'function', name: 'lookup', parameters: TOOL_PARAMETERS }],
  tool_choice: 'auto',
  reasoning: { effort: 'low', summary: 'auto' },
  text: { format: { type: 'text' } },
  include: ['reasoning.encrypted_content'],
  store: false,
  stream: true,
  prompt_cache_key: 'fuzz',
}
const CHAT = {
  model: 'gpt-5.5',
  messages: [
    { role: 'system', content: 'be brief' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'hi' },
        { type: 'image_url', image_url: { url: IMAGE } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'found' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: TOOL_PARAMETERS } }],
  tool_choice: 'auto',
  response_format: { type: 'json_schema', json_schema: { name: 'out', schema: TOOL_PARAMETERS } },
  stream: true,
  stream_options: { include_usage: true },
  reasoning_effort: 'low',
  max_tokens: 100,
  temperature: 0.5,
}
const LOG_QUERY = ['limit', 'offset', 'search', 'accountId', 'apiKeyId', 'model', 'status', 'since']
const RANGE_QUERY = ['since', 'until', 'bucket', 'groupBy', 'apiKeyId', 'accountId', 'model']
const PASSWORD = { password: 'a wrong password' }

/**
 * Every route of the app, as `METHOD path` from Fastify's route tree. A route missing here fails
 * routes-covered.test.ts, so a new route is never silently left out of the fuzzing.
 */
export const ROUTE_TABLE: Record<string, RouteSpec> = {
  'GET /health': { scope: 'root' },
  'GET /health/live': { scope: 'root' },
  'GET /health/ready': { scope: 'root' },
  'GET /metrics': { scope: 'root' },
  'GET /': { scope: 'root' },
  'GET /index.html': { scope: 'root' },
  'GET /favicon.svg': { scope: 'root' },
  'GET /assets/app.js': { scope: 'root' },

  'POST /v1/responses': { scope: 'proxy', sample: RESPONSES, fields: ['tools', 'reasoning'] },
  'POST /v1/responses/compact': { scope: 'proxy', sample: { model: 'gpt-5.5', input: 'hi' } },
  'POST /v1/chat/completions': { scope: 'proxy', sample: CHAT, fields: ['tools', 'stream'] },
  'GET /v1/responses': { scope: 'proxy' },
  'GET /v1/models': { scope: 'proxy' },
  'GET /v1/models/:id': { scope: 'proxy' },
  'POST /backend-api/codex/responses': { scope: 'proxy', sample: RESPONSES },
  'POST /backend-api/codex/responses/compact': {
    scope: 'proxy',
    sample: { model: 'gpt-5.5', input: 'hi' },
  },
  'GET /backend-api/codex/responses': { scope: 'proxy' },
  'GET /backend-api/codex/models': { scope: 'proxy' },
  'GET /backend-api/codex/models/:id': { scope: 'proxy' },
  'GET /api/codex/usage': { scope: 'codex-usage' },
  'GET /api/codex/usage/': { scope: 'codex-usage' },

  'GET /api/dashboard-auth/session': { scope: 'dashboard-auth' },
  'DELETE /api/dashboard-auth/password': { scope: 'dashboard-auth', sample: PASSWORD },
  'POST /api/dashboard-auth/password/setup': { scope: 'dashboard-auth', sample: PASSWORD },
  'POST /api/dashboard-auth/password/login': { scope: 'dashboard-auth', sample: PASSWORD },
  'POST /api/dashboard-auth/password/change': {
    scope: 'dashboard-auth',
    sample: { currentPassword: 'a wrong password', newPassword: 'another password' },
  },
  'POST /api/dashboard-auth/totp/setup/start': { scope: 'dashboard-auth' },
  'POST /api/dashboard-auth/totp/setup/confirm': {
    scope: 'dashboard-auth',
    sample: { secret: 'JBSWY3DPEHPK3PXP', code: '123456' },
  },
  'POST /api/dashboard-auth/totp/verify': { scope: 'dashboard-auth', sample: { code: '123456' } },
  'POST /api/dashboard-auth/totp/disable': { scope: 'dashboard-auth', sample: { code: '123456' } },
  'POST /api/dashboard-auth/logout': { scope: 'dashboard-auth' },

  'GET /api/dashboard/overview': { scope: 'dashboard' },
  'GET /api/settings': { scope: 'dashboard' },
  'GET /api/settings/': { scope: 'dashboard' },
  'PUT /api/settings': { scope: 'dashboard', sample: settingsSample() },
  'PUT /api/settings/': { scope: 'dashboard', sample: settingsSample() },
  'GET /api/api-keys': { scope: 'dashboard' },
  'GET /api/api-keys/': { scope: 'dashboard' },
  'POST /api/api-keys': { scope: 'dashboard', sample: apiKeySample() },
  'POST /api/api-keys/': { scope: 'dashboard', sample: apiKeySample() },
  'PATCH /api/api-keys/:id': { scope: 'dashboard', sample: { name: 'renamed', isActive: true } },
  'DELETE /api/api-keys/:id': { scope: 'dashboard' },
  'POST /api/api-keys/:id/regenerate': { scope: 'dashboard' },
  'GET /api/api-keys/:id/usage-history': { scope: 'dashboard', query: ['since', 'until'] },
  'GET /api/accounts': { scope: 'dashboard' },
  'GET /api/accounts/': { scope: 'dashboard' },
  'POST /api/accounts/import': { scope: 'dashboard', upload: 'auth_json' },
  'POST /api/accounts/import/': { scope: 'dashboard', upload: 'auth_json' },
  'PATCH /api/accounts/:id': { scope: 'dashboard', sample: { routeOrder: 3, alias: 'work' } },
  'PATCH /api/accounts/:id/': { scope: 'dashboard', sample: { routeOrder: 3, alias: 'work' } },
  'DELETE /api/accounts/:id': { scope: 'dashboard' },
  'DELETE /api/accounts/:id/': { scope: 'dashboard' },
  'PUT /api/accounts/:id/egress-proxy': { scope: 'dashboard', sample: { url: null } },
  'PUT /api/accounts/:id/egress-proxy/': { scope: 'dashboard', sample: { url: null } },
  'GET /api/accounts/:id/trends': { scope: 'dashboard' },
  'GET /api/accounts/:id/trends/': { scope: 'dashboard' },
  'POST /api/accounts/:id/pause': { scope: 'dashboard' },
  'POST /api/accounts/:id/pause/': { scope: 'dashboard' },
  'POST /api/accounts/:id/reactivate': { scope: 'dashboard' },
  'POST /api/accounts/:id/reactivate/': { scope: 'dashboard' },
  'POST /api/accounts/:id/refresh': { scope: 'dashboard' },
  'POST /api/accounts/:id/refresh/': { scope: 'dashboard' },
  'POST /api/accounts/:id/check': { scope: 'dashboard' },
  'POST /api/accounts/:id/check/': { scope: 'dashboard' },
  'PUT /api/accounts/:id/concurrency': { scope: 'dashboard', sample: { maxStreams: 4 } },
  'PUT /api/accounts/:id/concurrency/': { scope: 'dashboard', sample: { maxStreams: 4 } },
  'PUT /api/accounts/:id/headroom': {
    scope: 'dashboard',
    sample: { primaryPercent: 90, secondaryPercent: null },
  },
  'PUT /api/accounts/:id/headroom/': {
    scope: 'dashboard',
    sample: { primaryPercent: 90, secondaryPercent: null },
  },
  'GET /api/accounts/:id/history': { scope: 'dashboard', query: ['range'] },
  'POST /api/accounts/:id/auth-json': { scope: 'dashboard', sample: PASSWORD },
  'GET /api/audit': { scope: 'dashboard', query: ['action', 'outcome', 'search', 'limit'] },
  'GET /api/audit/options': { scope: 'dashboard' },
  'GET /api/overflow-upstreams': { scope: 'dashboard' },
  'GET /api/overflow-upstreams/': { scope: 'dashboard' },
  'POST /api/overflow-upstreams': { scope: 'dashboard', sample: overflowSample() },
  'POST /api/overflow-upstreams/': { scope: 'dashboard', sample: overflowSample() },
  'PATCH /api/overflow-upstreams/:id': { scope: 'dashboard', sample: { name: 'renamed' } },
  'DELETE /api/overflow-upstreams/:id': { scope: 'dashboard' },
  'POST /api/oauth/start': { scope: 'dashboard', sample: { forceMethod: 'device' } },
  'GET /api/oauth/status': { scope: 'dashboard', query: ['flowId', 'state'] },
  'POST /api/oauth/complete': {
    scope: 'dashboard',
    sample: { flowId: 'flow', callbackUrl: 'http://localhost:1455/auth/callback?code=x&state=y' },
    fields: ['deviceAuthId', 'userCode'],
  },
  'GET /api/request-logs': { scope: 'dashboard', query: LOG_QUERY },
  'GET /api/request-logs/options': { scope: 'dashboard', query: LOG_QUERY },
  'GET /api/request-logs/export': { scope: 'dashboard', query: LOG_QUERY },
  'GET /api/request-logs/:id': { scope: 'dashboard' },
  'GET /api/reports': { scope: 'dashboard', query: RANGE_QUERY },
  'GET /api/reports/export': { scope: 'dashboard', query: RANGE_QUERY },
  'GET /api/models': { scope: 'dashboard' },
  'GET /api/usage/summary': { scope: 'dashboard' },
  'GET /api/usage/history': { scope: 'dashboard', query: ['hours'] },
  'GET /api/usage/window': { scope: 'dashboard', query: ['window'] },
}

function settingsSample(): Record<string, unknown> {
  return {
    stickyThreadsEnabled: true,
    preferEarlierResetAccounts: false,
    headroomPrimaryPercent: 95,
    routingStrategy: null,
    stickyTtlSeconds: 3600,
    accountMaxStreams: null,
    overflowMode: null,
  }
}

function apiKeySample(): Record<string, unknown> {
  return {
    name: 'fuzz key',
    allowedModels: ['gpt-5.5'],
    expiresAt: null,
    limits: [{ limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1000 }],
  }
}

function overflowSample(): Record<string, unknown> {
  return {
    name: 'fuzz overflow',
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey: 'sk-overflow-fuzz',
    models: [{ model: 'gpt-5.5' }],
    inputPrice: 1,
  }
}

/** Every route the app registered, as `METHOD path` (HEAD folded into GET). */
export function registeredRoutes(app: FastifyInstance): string[] {
  const out = new Set<string>()
  for (const [method, path] of allRoutes(app)) if (method !== 'HEAD') out.add(`${method} ${path}`)
  return [...out].sort()
}
