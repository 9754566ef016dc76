import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { parseNetworks, trustedProxyList } from '../lib/networks.js'
import { ROUTING_STRATEGIES, type RoutingStrategy } from '../modules/balancer/strategies/names.js'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    error: 'expected true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v))

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(0)
  .max(65535)
const seconds = z.coerce.number({ error: 'expected a number of seconds' }).positive()
const bytes = z.coerce.number({ error: 'expected a number of bytes' }).int().positive()
const percent = z.coerce.number({ error: 'expected a percentage' }).min(0).max(100)
/** A CIDR list (`10.0.0.0/8, ::1`); unset or empty: every network. */
const networks = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    try {
      if (v !== undefined) parseNetworks(v)
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message })
    }
  })
const url = z.url({ error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''))

/** Every CODEX_LB_* variable, its parser and its default. The name is the env var minus the prefix. */
const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(2455),
  TRUSTED_PROXIES: z.string().optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(15),
  ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  SHUTDOWN_DRAIN_SECONDS: seconds.default(30),
  // How long a load balancer needs to see /health/ready fail: its probe interval × threshold.
  SHUTDOWN_DELAY_SECONDS: z.coerce
    .number({ error: 'expected a number of seconds' })
    .min(0)
    .default(0),
  UPSTREAM_BASE_URL: url.default('https://chatgpt.com/backend-api'),
  UPSTREAM_CONNECT_TIMEOUT_SECONDS: seconds.default(30),
  EGRESS_PROXY: z.string().regex(/^(https?|socks5):\/\/([^@/]+@)?[^:@/]+:\d+\/?$/).optional(),
  STREAM_IDLE_TIMEOUT_SECONDS: seconds.default(300),
  MAX_SSE_EVENT_BYTES: bytes.default(2 * 1024 * 1024),
  MAX_BODY_BYTES: bytes.default(32 * 1024 * 1024),
  MAX_DECOMPRESSED_BODY_BYTES: bytes.default(32 * 1024 * 1024),
  COMPACT_TIMEOUT_SECONDS: seconds.default(60),
  PROXY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  AUTH_BASE_URL: url.default('https://auth.openai.com'),
  OAUTH_CLIENT_ID: z.string().min(1).default('app_EMoamEEZ73f0CkXaXp7hrann'),
  OAUTH_SCOPE: z.string().min(1).default('openid profile email'),
  OAUTH_CALLBACK_HOST: z.string().min(1).default('127.0.0.1'),
  OAUTH_CALLBACK_PORT: port.default(1455),
  // Verbatim (must match a registered one). Unset: http://localhost:<bound port>/auth/callback.
  OAUTH_REDIRECT_URI: z.url({ error: 'expected an http(s) URL' }).optional(),
  OAUTH_TIMEOUT_SECONDS: seconds.default(30),
  OAUTH_FLOW_TTL_SECONDS: seconds.default(600),
  TOKEN_REFRESH_INTERVAL_DAYS: z.coerce.number().positive().default(8),
  TOKEN_REFRESH_MARGIN_SECONDS: seconds.default(300),
  TOKEN_REFRESH_JOB_INTERVAL_SECONDS: seconds.default(60),
  USAGE_REFRESH_ENABLED: bool.default(true),
  USAGE_REFRESH_INTERVAL_SECONDS: seconds.default(60),
  USAGE_FETCH_TIMEOUT_SECONDS: seconds.default(10),
  USAGE_FETCH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  MODEL_REGISTRY_ENABLED: bool.default(true),
  MODEL_REGISTRY_REFRESH_INTERVAL_SECONDS: seconds.default(300),
  MODEL_REGISTRY_CLIENT_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'expected a version like 0.101.0')
    .default('0.101.0'),
  STICKY_SESSION_TTL_SECONDS: seconds.default(6 * 3600),
  // Same bounds as the dashboard's (settings/schemas.ts).
  ACCOUNT_MAX_STREAMS: z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(1)
    .max(1000)
    .default(8),
  ACCOUNT_QUEUE_WAIT_SECONDS: z.coerce
    .number({ error: 'expected a whole number of seconds' })
    .int('expected a whole number of seconds')
    .min(1)
    .max(600)
    .default(10),
  HEADROOM_PRIMARY_PERCENT: percent.default(100),
  HEADROOM_SECONDARY_PERCENT: percent.default(100),
  ROUTING_STRATEGY: z.enum(ROUTING_STRATEGIES).default('most_remaining'),
  SQLITE_BACKUP_MAX_FILES: z.coerce.number().int().min(0).max(100).default(5),
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a whole number of days' })
    .int('expected a whole number of days')
    .min(1)
    .default(365),
  STATIC_DIR: z.string().min(1).optional(),
  UPSTREAM_WEBSOCKET: z.enum(['on', 'off']).default('on'),
  WEBSOCKET_MAX_FRAME_BYTES: bytes.default(16 * 1024 * 1024),
  WEBSOCKET_IDLE_TIMEOUT_SECONDS: seconds.default(120),
  WEBSOCKET_KEEPALIVE_SECONDS: seconds.default(10),
  CONVERSATION_MAX_BYTES: bytes.default(256 * 1024 * 1024),
  CONVERSATION_MAX_BYTES_PER_SOCKET: bytes.default(32 * 1024 * 1024),
  OVERFLOW_BASE_URL: url.optional(),
  OVERFLOW_API_KEY: z.string().min(1).optional(),
  OVERFLOW_MODE: z.enum(['off', 'exhausted', 'always']).default('off'),
  DASHBOARD_AUTH_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'expected a header name like Remote-User')
    .optional(),
  PROXY_ALLOWED_NETWORKS: networks,
  DASHBOARD_ALLOWED_NETWORKS: networks,
  METRICS_ENABLED: bool.default(false),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
})

type Env = z.infer<typeof envSchema>

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
  /** Client networks allowed on the proxy routes and on the dashboard; null: every network. */
  readonly allowedNetworks: { readonly proxy: string | null; readonly dashboard: string | null }
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
    allowedNetworks: {
      proxy: env.PROXY_ALLOWED_NETWORKS ?? null,
      dashboard: env.DASHBOARD_ALLOWED_NETWORKS ?? null,
    },
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
