import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { trustedProxyList } from '../lib/networks.js'
import type { RoutingStrategy } from '../modules/balancer/strategies/names.js'
import { envSchema, type Env } from './env-schema.js'

export interface Config {
  readonly host: string
  readonly port: number
  /** Fastify's `trustProxy`: which hops' `x-forwarded-for` decides a client's address. */
  readonly trustedProxies: boolean | number | string[]
  readonly dataDir: string
  readonly database:
    | { readonly kind: 'sqlite'; readonly path: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number }
  readonly encryptionKeyFile: string
  readonly logLevel: Env['LOG_LEVEL']
  /** `auto`: human-readable lines when stdout is a terminal, JSON otherwise. */
  readonly logFormat: Env['LOG_FORMAT']
  /** How long a shutdown waits for in-flight requests before cutting them. */
  readonly shutdownDrainMs: number
  /** After a signal, how long the server keeps serving with /health/ready at 503 before closing. */
  readonly shutdownDelayMs: number
  readonly upstream: {
    readonly baseUrl: string
    readonly connectTimeoutMs: number
    readonly streamIdleTimeoutMs: number
    readonly maxSseEventBytes: number
    readonly compactTimeoutMs: number
    readonly maxAttempts: number
    readonly egressProxy: string | null // accounts without their own (http(s)://, socks5://)
  }
  readonly limits: { readonly maxBodyBytes: number; readonly maxDecompressedBodyBytes: number }
  readonly oauth: {
    readonly authBaseUrl: string
    readonly clientId: string
    readonly scope: string
    readonly callbackHost: string
    readonly callbackPort: number
    /** Set explicitly; null means `http://localhost:<bound callback port>/auth/callback`. */
    readonly redirectUri: string | null
    readonly timeoutMs: number
    readonly flowTtlMs: number
  }
  readonly tokenRefresh: {
    readonly maxAgeMs: number
    readonly marginMs: number
    readonly jobIntervalMs: number
  }
  readonly usage: {
    readonly refreshEnabled: boolean
    readonly refreshIntervalMs: number
    readonly fetchTimeoutMs: number
    readonly fetchMaxRetries: number
  }
  readonly models: {
    readonly registryEnabled: boolean
    readonly refreshIntervalMs: number
    readonly clientVersion: string
  }
  readonly websocket: {
    /** Turns go to the backend over a WebSocket (falls back to HTTP SSE where it is refused). */
    readonly upstream: boolean
    /** Largest client frame answered (400 `payload_too_large` beyond). */
    readonly maxFrameBytes: number
    /** A client socket with no turn running for this long is closed (1001). */
    readonly idleTimeoutMs: number
    /** Heartbeat frame interval while a turn waits for its first upstream event. */
    readonly keepaliveMs: number
  }
  readonly conversations: { readonly maxBytes: number; readonly maxBytesPerOwner: number }
  readonly overflow: {
    /** Default of the `overflowMode` setting (a value saved in the dashboard overrides it). */
    readonly mode: Env['OVERFLOW_MODE']
    /** One overflow upstream from the environment (listed read-only beside the dashboard's). */
    readonly upstream: { readonly baseUrl: string; readonly apiKey: string } | null
  }
  /** Default of the routingStrategy setting (a value saved in the dashboard overrides it). */
  readonly routingStrategy: RoutingStrategy
  readonly stickySessionTtlMs: number
  /** Defaults of the per-account stream cap and the wait for a free slot (dashboard overrides). */
  readonly concurrency: { readonly accountMaxStreams: number; readonly queueWaitSeconds: number }
  /** Usage ceilings per window (percent used; 100 = none): defaults of the dashboard settings. */
  readonly headroom: { readonly primaryPercent: number; readonly secondaryPercent: number }
  readonly sqliteBackupMaxFiles: number
  readonly staticDir: string | undefined
  /** Audit-log rows older than this are deleted by the retention job. */
  readonly auditRetentionDays: number
  /** Header an authenticating reverse proxy puts its user in (only believed from trusted proxies). */
  readonly dashboardAuthProxyHeader: string | null
  /** bcrypt cost of the dashboard password (4–15); stored hashes of any cost still verify. */
  readonly passwordHashCost: number
  /** Client networks allowed on the proxy routes and on the dashboard; null: every network. */
  readonly allowedNetworks: { readonly proxy: string | null; readonly dashboard: string | null }
  /** Origins besides the dashboard's own whose state-changing /api requests are accepted. */
  readonly dashboardAllowedOrigins: readonly string[]
  /** `GET /metrics` (Prometheus text); off unless enabled, behind a bearer token when one is set. */
  readonly metrics: { readonly enabled: boolean; readonly token: string | null }
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const PREFIX = 'CODEX_LB_'

/** Every variable loadConfig reads (HOST and PORT are also read without the prefix). */
export const CONFIG_ENV_NAMES: readonly string[] = Object.keys(envSchema.shape).map(
  (k) => PREFIX + k,
)

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p
}

function databaseFrom(env: Env, dataDir: string): Config['database'] {
  const raw = env.DATABASE_URL
  if (!raw) return { kind: 'sqlite', path: join(dataDir, 'store.db') }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    return { kind: 'postgres', url: raw, poolSize: env.DATABASE_POOL_SIZE }
  }
  // Accept the original's `sqlite+aiosqlite:///path` and `sqlite:///path` forms, and a bare path.
  const m = /^sqlite(?:\+\w+)?:\/\/\/?(.*)$/.exec(raw)
  const path = m ? m[1]! : raw
  if (!path)
    throw new ConfigError([`${PREFIX}DATABASE_URL: expected postgresql://… or a SQLite file`])
  return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(expandHome(path)) }
}

/** Parses `CODEX_LB_*` variables once into a frozen Config; throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const picked: Record<string, string> = {}
  for (const key of Object.keys(envSchema.shape)) {
    const value =
      source[PREFIX + key] ?? (key === 'HOST' || key === 'PORT' ? source[key] : undefined)
    if (value !== undefined && value !== '') picked[key] = value
  }
  const parsed = envSchema.safeParse(picked)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${PREFIX}${i.path.join('.')}: ${i.message}`),
    )
  }
  const env = parsed.data
  const dataDir = resolve(expandHome(env.DATA_DIR ?? '~/.codex-lb'))
  const config: Config = {
    host: env.HOST,
    port: env.PORT,
    trustedProxies: trustedProxiesFrom(env.TRUSTED_PROXIES),
    dataDir,
    database: databaseFrom(env, dataDir),
    encryptionKeyFile: resolve(
      expandHome(env.ENCRYPTION_KEY_FILE ?? join(dataDir, 'encryption.key')),
    ),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_SECONDS * 1000,
    shutdownDelayMs: env.SHUTDOWN_DELAY_SECONDS * 1000,
    upstream: {
      baseUrl: env.UPSTREAM_BASE_URL,
      connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_SECONDS * 1000,
      streamIdleTimeoutMs: env.STREAM_IDLE_TIMEOUT_SECONDS * 1000,
      maxSseEventBytes: env.MAX_SSE_EVENT_BYTES,
      compactTimeoutMs: env.COMPACT_TIMEOUT_SECONDS * 1000,
      maxAttempts: env.PROXY_MAX_ATTEMPTS,
      egressProxy: env.EGRESS_PROXY ?? null,
    },
    limits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxDecompressedBodyBytes: env.MAX_DECOMPRESSED_BODY_BYTES,
    },
    oauth: {
      authBaseUrl: env.AUTH_BASE_URL,
      clientId: env.OAUTH_CLIENT_ID,
      scope: env.OAUTH_SCOPE,
      callbackHost: env.OAUTH_CALLBACK_HOST,
      callbackPort: env.OAUTH_CALLBACK_PORT,
      redirectUri: env.OAUTH_REDIRECT_URI ?? null,
      timeoutMs: env.OAUTH_TIMEOUT_SECONDS * 1000,
      flowTtlMs: env.OAUTH_FLOW_TTL_SECONDS * 1000,
    },
    tokenRefresh: {
      maxAgeMs: env.TOKEN_REFRESH_INTERVAL_DAYS * 86_400_000,
      marginMs: env.TOKEN_REFRESH_MARGIN_SECONDS * 1000,
      jobIntervalMs: env.TOKEN_REFRESH_JOB_INTERVAL_SECONDS * 1000,
    },
    usage: {
      refreshEnabled: env.USAGE_REFRESH_ENABLED,
      refreshIntervalMs: env.USAGE_REFRESH_INTERVAL_SECONDS * 1000,
      fetchTimeoutMs: env.USAGE_FETCH_TIMEOUT_SECONDS * 1000,
      fetchMaxRetries: env.USAGE_FETCH_MAX_RETRIES,
    },
    models: {
      registryEnabled: env.MODEL_REGISTRY_ENABLED,
      refreshIntervalMs: env.MODEL_REGISTRY_REFRESH_INTERVAL_SECONDS * 1000,
      clientVersion: env.MODEL_REGISTRY_CLIENT_VERSION,
    },
    websocket: {
      upstream: env.UPSTREAM_WEBSOCKET === 'on',
      maxFrameBytes: env.WEBSOCKET_MAX_FRAME_BYTES,
      idleTimeoutMs: env.WEBSOCKET_IDLE_TIMEOUT_SECONDS * 1000,
      keepaliveMs: env.WEBSOCKET_KEEPALIVE_SECONDS * 1000,
    },
    conversations: {
      maxBytes: env.CONVERSATION_MAX_BYTES,
      maxBytesPerOwner: env.CONVERSATION_MAX_BYTES_PER_SOCKET,
    },
    routingStrategy: env.ROUTING_STRATEGY,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    metrics: { enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN ?? null },
    dashboardAuthProxyHeader: authProxyHeaderFrom(env),
    passwordHashCost: env.PASSWORD_HASH_COST,
    allowedNetworks: {
      proxy: env.PROXY_ALLOWED_NETWORKS ?? null,
      dashboard: env.DASHBOARD_ALLOWED_NETWORKS ?? null,
    },
    dashboardAllowedOrigins: env.DASHBOARD_ALLOWED_ORIGINS,
    overflow: { mode: env.OVERFLOW_MODE, upstream: overflowUpstreamFrom(env) },
    stickySessionTtlMs: env.STICKY_SESSION_TTL_SECONDS * 1000,
    concurrency: {
      accountMaxStreams: env.ACCOUNT_MAX_STREAMS,
      queueWaitSeconds: env.ACCOUNT_QUEUE_WAIT_SECONDS,
    },
    headroom: {
      primaryPercent: env.HEADROOM_PRIMARY_PERCENT,
      secondaryPercent: env.HEADROOM_SECONDARY_PERCENT,
    },
    sqliteBackupMaxFiles: env.SQLITE_BACKUP_MAX_FILES,
    staticDir: env.STATIC_DIR ? resolve(expandHome(env.STATIC_DIR)) : undefined,
  }
  return deepFreeze(config)
}

/** `true`, `false`, a hop count, or a comma list of addresses/CIDRs; unset trusts no proxy. */
function trustedProxiesFrom(raw: string | undefined): Config['trustedProxies'] {
  const value = raw?.trim() ?? ''
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** The auth-proxy header is only safe with an explicit list of proxies to believe it from. */
function authProxyHeaderFrom(env: Env): string | null {
  const header = env.DASHBOARD_AUTH_PROXY_HEADER
  if (!header) return null
  const trusted = trustedProxiesFrom(env.TRUSTED_PROXIES)
  const problem = !Array.isArray(trusted)
    ? 'requires CODEX_LB_TRUSTED_PROXIES to list the proxy addresses (not true or a hop count)'
    : listProblem(trusted)
  if (problem) throw new ConfigError([`${PREFIX}DASHBOARD_AUTH_PROXY_HEADER: ${problem}`])
  return header
}

function listProblem(entries: readonly string[]): string | null {
  try {
    trustedProxyList(entries)
    return null
  } catch (err) {
    return `CODEX_LB_TRUSTED_PROXIES: ${(err as Error).message}`
  }
}

function overflowUpstreamFrom(env: Env): Config['overflow']['upstream'] {
  const { OVERFLOW_BASE_URL: baseUrl, OVERFLOW_API_KEY: apiKey } = env
  if (!baseUrl && !apiKey) return null
  // Never echo the key: only name what is missing.
  if (!baseUrl)
    throw new ConfigError([`${PREFIX}OVERFLOW_BASE_URL: required with OVERFLOW_API_KEY`])
  if (!apiKey) throw new ConfigError([`${PREFIX}OVERFLOW_API_KEY: required with OVERFLOW_BASE_URL`])
  return { baseUrl, apiKey }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
