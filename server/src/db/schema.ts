import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

/*
 * One schema for SQLite and PostgreSQL. Conventions that keep both dialects returning the same JS types:
 * - every timestamp is epoch milliseconds in an integer column (`*_at`), so range queries are integer
 *   comparisons and no driver-specific Date/string conversion leaks into the code;
 * - booleans are integers 0/1 (better-sqlite3 cannot bind JS booleans);
 * - encrypted secrets are base64 text.
 */

export type AccountStatus = 'active' | 'rate_limited' | 'quota_exceeded' | 'paused' | 'deactivated'
export type Flag = 0 | 1

export interface AccountsTable {
  id: string
  chatgpt_account_id: string | null
  email: string
  plan_type: string
  access_token_enc: string
  refresh_token_enc: string
  id_token_enc: string
  access_token_expires_at: number | null
  last_refresh_at: number
  created_at: number
  updated_at: number
  status: AccountStatus
  deactivation_reason: string | null
  /** Until when a rate_limited / quota_exceeded status holds (ms). */
  reset_at: number | null
  /** Runtime balancer state, written through so it survives restarts and is shared by replicas. */
  cooldown_until: number | null
  error_count: Generated<number>
  last_error_at: number | null
  last_selected_at: number | null
  /** Upstream streams in flight at most; null follows the global setting. */
  max_streams?: number | null
  /** Usage ceilings (0–100) per window; null follows the global setting. */
  headroom_primary_percent?: number | null
  headroom_secondary_percent?: number | null
  /** Place in the `fill_first` order (1 first); null: after the ordered ones, oldest first. */
  route_order: number | null
  /** Display name set in the dashboard; null shows the email. */
  alias?: string | null
  /** Egress proxy URL (may hold a password), encrypted with the token cipher; null: the default. */
  egress_proxy_encrypted?: string | null
}

export interface UsageHistoryTable {
  id: Generated<number>
  account_id: string
  recorded_at: number
  window: 'primary' | 'secondary'
  used_percent: number
  reset_at: number | null
  window_minutes: number | null
  credits_has: Flag | null
  credits_unlimited: Flag | null
  credits_balance: number | null
}

export interface RequestLogsTable {
  id: Generated<number>
  /** Not a foreign key: logs outlive a deleted account (shown as "deleted account"). */
  account_id: string | null
  api_key_id: string | null
  request_id: string
  requested_at: number
  endpoint: string
  model: string
  reasoning_effort: string | null
  status: 'success' | 'error'
  http_status: number | null
  error_code: string | null
  error_message: string | null
  input_tokens: number | null
  cached_input_tokens: number | null
  output_tokens: number | null
  reasoning_tokens: number | null
  cost_usd: number | null
  latency_ms: number | null
  ttfb_ms: number | null
  transport: Generated<'http' | 'websocket'>
  /** Set when an overflow upstream (not an account) served the attempt; account_id is then null. */
  overflow_upstream_id: string | null
  /** The client's address (after trust-proxy) and User-Agent (first 512 chars); null on old rows. */
  client_ip: string | null
  user_agent: string | null
  /** The upstream's error body on a failed attempt: secrets redacted, at most 4 KB; null otherwise. */
  upstream_error_body: string | null
}

/**
 * Hourly sums of request_logs per dimension combination (kept in the writer's transaction). Nullable
 * request-log columns are '' here: NULLs never conflict in the primary key that the upsert needs.
 */
export interface RequestLogRollupsTable {
  /** Epoch ms of the hour (a multiple of 3,600,000). */
  hour_start: number
  account_id: string
  api_key_id: string
  model: string
  reasoning_effort: string
  overflow_upstream_id: string
  status: 'success' | 'error'
  error_code: string
  requests: number
  errors: number
  input_tokens: number
  cached_input_tokens: number
  output_tokens: number
  reasoning_tokens: number
  /** input + (output, or reasoning when output is unknown), per row. */
  total_tokens: number
  latency_ms_sum: number
  /** Rows with a known latency. */
  latency_count: number
  cost_usd: number
}

/**
 * Daily sums of request_logs per dimension combination (kept with the hourly rollups): the filter
 * options and daily reports of a month read ~30 days of these instead of ~720 hours of rollups.
 */
export interface RequestLogDailyRollupsTable extends Omit<
  RequestLogRollupsTable,
  'hour_start' | 'overflow_upstream_id'
> {
  /** Epoch ms of the UTC day (a multiple of 86,400,000). */
  day_start: number
}

/** Open upstream streams of every replica on one PostgreSQL (the shared per-account caps). */
export interface StreamLeasesTable {
  id: string
  account_id: string
  replica_id: string
  /** Epoch ms; renewed while the stream runs, so a dead replica's rows stop counting. */
  expires_at: number
}

export interface StickySessionsTable {
  key: string
  account_id: string
  created_at: number
  updated_at: number
}

/** A logged-out dashboard session (migration 101): its cookie is refused until `expires_at`. */
export interface DashboardSessionRevocationsTable {
  session_id: string
  /** Epoch ms; past it every cookie of the session has expired and the row may be pruned. */
  expires_at: number
}

export interface DashboardSettingsTable {
  id: number
  sticky_threads_enabled: Flag
  prefer_earlier_reset_accounts: Flag
  totp_required_on_login: Flag
  api_key_auth_enabled: Flag
  /** Sticky-thread pin lifetime; null means the configured default (CODEX_LB_STICKY_SESSION_TTL_SECONDS). */
  sticky_ttl_seconds: number | null
  /** Global stream cap and queue wait; null means CODEX_LB_ACCOUNT_MAX_STREAMS / _QUEUE_WAIT_SECONDS. */
  account_max_streams?: number | null
  account_queue_wait_seconds?: number | null
  /** Routing strategy name; null means CODEX_LB_ROUTING_STRATEGY. */
  routing_strategy: string | null
  password_hash: string | null
  totp_secret_enc: string | null
  totp_last_verified_step: number | null
  /** Bumped on password change/removal; cookies carry it, so older cookies stop working. */
  session_epoch: Generated<number>
  created_at: number
  updated_at: number
  /** Usage ceilings (0–100); null means CODEX_LB_HEADROOM_PRIMARY/SECONDARY_PERCENT. */
  headroom_primary_percent?: number | null
  headroom_secondary_percent?: number | null
  /** `off` | `exhausted` | `always`; null means CODEX_LB_OVERFLOW_MODE. */
  overflow_mode: string | null
}

export interface ApiKeysTable {
  id: string
  name: string
  key_hash: string
  key_prefix: string
  /** JSON array of model ids; null or [] means every model. */
  allowed_models: string | null
  expires_at: number | null
  is_active: Flag
  created_at: number
  last_used_at: number | null
  /** Key policy (JSON arrays; null: no restriction), and its cap on requests in flight. */
  allowed_reasoning_efforts: string | null
  allowed_service_tiers: string | null
  allowed_account_ids: string | null
  max_concurrent_requests: number | null
}

export type LimitType = 'total_tokens' | 'input_tokens' | 'output_tokens' | 'cost_usd'
export type LimitWindow = 'daily' | 'weekly' | 'monthly'

export interface ApiKeyLimitsTable {
  id: Generated<number>
  api_key_id: string
  limit_type: LimitType
  limit_window: LimitWindow
  max_value: number
  current_value: number
  model_filter: string | null
  reset_at: number
}

export type ReservationStatus = 'reserved' | 'settling' | 'finalized' | 'released'

export interface ApiKeyUsageReservationsTable {
  id: string
  api_key_id: string
  model: string
  status: ReservationStatus
  input_tokens: number | null
  output_tokens: number | null
  cached_input_tokens: number | null
  cost_microdollars: number | null
  created_at: number
  updated_at: number
}

export interface ApiKeyUsageReservationItemsTable {
  id: Generated<number>
  reservation_id: string
  limit_id: number
  limit_type: LimitType
  reserved_delta: number
  actual_delta: number | null
  expected_reset_at: number
  created_at: number
  updated_at: number
}

export interface OverflowUpstreamsTable {
  id: string
  name: string
  base_url: string
  api_key_enc: string
  /** The first characters of the key, for the dashboard; the key itself is never returned. */
  api_key_prefix: string
  /** JSON array of {model, upstreamModel}; [] serves every model. */
  models: string
  /** USD per million tokens; null uses the built-in price of the model. */
  input_price: number | null
  cached_input_price: number | null
  output_price: number | null
  created_at: number
  updated_at: number
}

export interface AuditLogTable {
  id: Generated<number>
  occurred_at: number
  action: string
  outcome: 'success' | 'failure'
  target_type: string | null
  target_id: string | null
  /** The client's address (after trust-proxy) and User-Agent (first 512 chars). */
  client_ip: string | null
  user_agent: string | null
  /** JSON object of what changed; scrubbed of secrets before the write. */
  details: string | null
}

/** What `migrate-from-python` took from the original, per source table (see migration 91). */
export interface PythonImportTable {
  source_table: string
  /** Highest original id imported (append-only tables); null for a table taken as a whole. */
  last_id: number | null
  imported_at: number
}

export interface Database {
  accounts: AccountsTable
  usage_history: UsageHistoryTable
  request_logs: RequestLogsTable
  request_log_rollups: RequestLogRollupsTable
  request_log_daily_rollups: RequestLogDailyRollupsTable
  sticky_sessions: StickySessionsTable
  dashboard_settings: DashboardSettingsTable
  dashboard_session_revocations: DashboardSessionRevocationsTable
  api_keys: ApiKeysTable
  api_key_limits: ApiKeyLimitsTable
  api_key_usage_reservations: ApiKeyUsageReservationsTable
  api_key_usage_reservation_items: ApiKeyUsageReservationItemsTable
  overflow_upstreams: OverflowUpstreamsTable
  stream_leases: StreamLeasesTable
  audit_log: AuditLogTable
  python_import: PythonImportTable
}

export type AccountRow = Selectable<AccountsTable>
export type NewAccountRow = Insertable<AccountsTable>
export type AccountUpdate = Updateable<AccountsTable>
export type UsageRow = Selectable<UsageHistoryTable>
export type NewUsageRow = Insertable<UsageHistoryTable>
export type RequestLogRow = Selectable<RequestLogsTable>
export type NewRequestLogRow = Insertable<RequestLogsTable>
export type RequestLogRollupRow = Selectable<RequestLogRollupsTable>
export type SettingsRow = Selectable<DashboardSettingsTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type ApiKeyLimitRow = Selectable<ApiKeyLimitsTable>
export type OverflowUpstreamRow = Selectable<OverflowUpstreamsTable>
export type AuditLogRow = Selectable<AuditLogTable>
export type NewAuditLogRow = Insertable<AuditLogTable>
