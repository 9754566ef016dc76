import { z } from 'zod'
import { parseNetworks } from '../lib/networks.js'
import { ROUTING_STRATEGIES } from '../modules/balancer/strategies/names.js'

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
/** A comma list of origins (`https://lb.example, http://10.0.0.5:2455`), normalized; no paths. */
const origins = z
  .string()
  .optional()
  .transform((v, ctx) =>
    (v ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')
      .map((entry) => {
        const url = URL.canParse(entry) ? new URL(entry) : null
        const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username
        if (url && bare && /^https?:$/.test(url.protocol)) return url.origin
        ctx.addIssue({
          code: 'custom',
          message: `expected origins like https://lb.example: ${entry}`,
        })
        return z.NEVER
      }),
  )
const url = z.url({ error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''))

/** Every CODEX_LB_* variable, its parser and its default. The name is the env var minus the prefix. */
export const envSchema = z.object({
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
  EGRESS_PROXY: z
    .string()
    .regex(/^(https?|socks5):\/\/([^@/]+@)?[^:@/]+:\d+\/?$/)
    .optional(),
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
  DASHBOARD_ALLOWED_ORIGINS: origins,
  // bcrypt cost of the dashboard password: each step doubles the time a login (and a password
  // check before an export) takes; lower it on a slow device, raise it on a fast one.
  PASSWORD_HASH_COST: z.coerce
    .number({ error: 'expected a whole number from 4 to 15' })
    .int('expected a whole number from 4 to 15')
    .min(4, 'expected a whole number from 4 to 15')
    .max(15, 'expected a whole number from 4 to 15')
    .default(12),
  METRICS_ENABLED: bool.default(false),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
})

export type Env = z.infer<typeof envSchema>
