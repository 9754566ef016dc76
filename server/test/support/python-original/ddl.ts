/*
 * The original's tables, written from /work/shared/reference/original-schema.md: the seed era
 * (Alembic head 011_add_api_key_usage_reservations, 654d35a3b) and the newest (20260816_000000),
 * the latter with columns in an upgraded database's order (not the fresh one's) and only the tables
 * the import reads plus a few it must ignore. `BLOB`, `DATETIME` and `SERIAL` are turned into each
 * dialect's type by `ddlFor`.
 */

export type Era = 'seed' | 'newest'

const SEED = `
CREATE TABLE accounts (id VARCHAR NOT NULL PRIMARY KEY, chatgpt_account_id VARCHAR,
  email VARCHAR NOT NULL UNIQUE, plan_type VARCHAR NOT NULL, access_token_encrypted BLOB NOT NULL,
  refresh_token_encrypted BLOB NOT NULL, id_token_encrypted BLOB NOT NULL, last_refresh DATETIME NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, status VARCHAR(14) NOT NULL,
  deactivation_reason TEXT, reset_at INTEGER);
CREATE TABLE usage_history (id SERIAL, account_id VARCHAR NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  recorded_at DATETIME NOT NULL, "window" VARCHAR, used_percent FLOAT NOT NULL, input_tokens INTEGER,
  output_tokens INTEGER, reset_at INTEGER, window_minutes INTEGER, credits_has BOOLEAN,
  credits_unlimited BOOLEAN, credits_balance FLOAT);
CREATE TABLE request_logs (id SERIAL, account_id VARCHAR NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  api_key_id VARCHAR, request_id VARCHAR NOT NULL, requested_at DATETIME NOT NULL, model VARCHAR NOT NULL,
  input_tokens INTEGER, output_tokens INTEGER, cached_input_tokens INTEGER, reasoning_tokens INTEGER,
  reasoning_effort VARCHAR, latency_ms INTEGER, status VARCHAR NOT NULL, error_code VARCHAR, error_message TEXT);
CREATE TABLE sticky_sessions (key VARCHAR NOT NULL PRIMARY KEY,
  account_id VARCHAR NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE dashboard_settings (id INTEGER NOT NULL PRIMARY KEY, sticky_threads_enabled BOOLEAN NOT NULL,
  prefer_earlier_reset_accounts BOOLEAN NOT NULL, totp_required_on_login BOOLEAN NOT NULL,
  password_hash TEXT, api_key_auth_enabled BOOLEAN NOT NULL, totp_secret_encrypted BLOB,
  totp_last_verified_step INTEGER, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE api_keys (id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, key_hash VARCHAR NOT NULL UNIQUE,
  key_prefix VARCHAR NOT NULL, allowed_models TEXT, expires_at DATETIME, is_active BOOLEAN NOT NULL,
  created_at DATETIME NOT NULL, last_used_at DATETIME);
CREATE TABLE api_key_limits (id SERIAL, api_key_id VARCHAR NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  limit_type VARCHAR NOT NULL, limit_window VARCHAR NOT NULL, max_value BIGINT NOT NULL,
  current_value BIGINT NOT NULL DEFAULT 0, model_filter VARCHAR, reset_at DATETIME NOT NULL);
CREATE TABLE api_key_usage_reservations (id VARCHAR NOT NULL PRIMARY KEY,
  api_key_id VARCHAR NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE, model VARCHAR NOT NULL,
  status VARCHAR NOT NULL, input_tokens BIGINT, output_tokens BIGINT, cached_input_tokens BIGINT,
  cost_microdollars BIGINT, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE api_key_usage_reservation_items (id SERIAL,
  reservation_id VARCHAR NOT NULL REFERENCES api_key_usage_reservations(id) ON DELETE CASCADE,
  limit_id INTEGER NOT NULL REFERENCES api_key_limits(id) ON DELETE CASCADE, limit_type VARCHAR NOT NULL,
  reserved_delta BIGINT NOT NULL, actual_delta BIGINT, expected_reset_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, CONSTRAINT uq_reservation_limit UNIQUE (reservation_id, limit_id));
CREATE TABLE alembic_version (version_num VARCHAR(255) NOT NULL PRIMARY KEY);
`

const NEWEST = `
CREATE TABLE accounts (id VARCHAR NOT NULL PRIMARY KEY, chatgpt_account_id VARCHAR, email VARCHAR NOT NULL,
  plan_type VARCHAR NOT NULL, status VARCHAR NOT NULL, access_token_encrypted BLOB NOT NULL,
  refresh_token_encrypted BLOB NOT NULL, id_token_encrypted BLOB NOT NULL, last_refresh DATETIME NOT NULL,
  created_at DATETIME NOT NULL, deactivation_reason TEXT, reset_at INTEGER, blocked_at INTEGER,
  alias VARCHAR, routing_policy VARCHAR NOT NULL DEFAULT 'normal', workspace_id VARCHAR,
  workspace_label VARCHAR, seat_type VARCHAR, chatgpt_user_id VARCHAR, codex_installation_id VARCHAR(36) NOT NULL,
  limit_warmup_enabled BOOLEAN NOT NULL DEFAULT FALSE, security_work_authorized BOOLEAN NOT NULL DEFAULT FALSE,
  delete_requested_at DATETIME, delete_history_requested BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE usage_history (id SERIAL, account_id VARCHAR NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  recorded_at DATETIME NOT NULL, "window" VARCHAR, used_percent FLOAT NOT NULL, input_tokens INTEGER,
  output_tokens INTEGER, reset_at INTEGER, window_minutes INTEGER, credits_has BOOLEAN,
  credits_unlimited BOOLEAN, credits_balance FLOAT);
CREATE TABLE request_logs (id SERIAL, account_id VARCHAR REFERENCES accounts(id) ON DELETE SET NULL,
  api_key_id VARCHAR, request_id VARCHAR NOT NULL, requested_at DATETIME NOT NULL, model VARCHAR NOT NULL,
  input_tokens INTEGER, output_tokens INTEGER, cached_input_tokens INTEGER, reasoning_tokens INTEGER,
  reasoning_effort VARCHAR, latency_ms INTEGER, status VARCHAR NOT NULL, error_code VARCHAR, error_message TEXT,
  service_tier VARCHAR, transport VARCHAR, cost_usd FLOAT, latency_first_token_ms INTEGER,
  request_kind VARCHAR NOT NULL DEFAULT 'normal', deleted_at DATETIME, client_ip VARCHAR, useragent TEXT,
  upstream_status_code INTEGER, slim_summary_json TEXT);
CREATE TABLE sticky_sessions (key VARCHAR NOT NULL, kind VARCHAR NOT NULL DEFAULT 'sticky_thread',
  account_id VARCHAR NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL, continuity_abandoned_at DATETIME, continuity_abandonment_scope VARCHAR(32),
  PRIMARY KEY (key, kind));
CREATE TABLE dashboard_settings (id INTEGER NOT NULL PRIMARY KEY, sticky_threads_enabled BOOLEAN NOT NULL,
  prefer_earlier_reset_accounts BOOLEAN NOT NULL, totp_required_on_login BOOLEAN NOT NULL, password_hash TEXT,
  api_key_auth_enabled BOOLEAN NOT NULL, totp_secret_encrypted BLOB, totp_last_verified_step INTEGER,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, routing_strategy VARCHAR NOT NULL DEFAULT 'capacity_weighted',
  guest_access_enabled BOOLEAN NOT NULL DEFAULT FALSE, guest_password_hash TEXT, bootstrap_token_encrypted BLOB,
  bootstrap_token_hash BLOB, request_log_retention_days INTEGER, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE api_keys (id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, key_hash VARCHAR NOT NULL UNIQUE,
  key_prefix VARCHAR NOT NULL, allowed_models TEXT, expires_at DATETIME, is_active BOOLEAN NOT NULL,
  created_at DATETIME NOT NULL, last_used_at DATETIME, enforced_model VARCHAR, enforced_reasoning_effort VARCHAR,
  enforced_service_tier VARCHAR, traffic_class VARCHAR NOT NULL DEFAULT 'foreground',
  usage_sections TEXT NOT NULL DEFAULT 'upstream_limits,account_pool_usage', allowed_reasoning_efforts TEXT,
  apply_to_codex_model BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE api_key_limits (id SERIAL, api_key_id VARCHAR NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  limit_type VARCHAR NOT NULL, limit_window VARCHAR NOT NULL, max_value BIGINT NOT NULL,
  current_value BIGINT NOT NULL DEFAULT 0, model_filter VARCHAR, reset_at DATETIME NOT NULL);
CREATE TABLE api_key_usage_reservations (id VARCHAR NOT NULL PRIMARY KEY,
  api_key_id VARCHAR NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE, model VARCHAR NOT NULL,
  status VARCHAR NOT NULL, input_tokens BIGINT, output_tokens BIGINT, cached_input_tokens BIGINT,
  cost_microdollars BIGINT, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE runtime_sentinels (name VARCHAR NOT NULL PRIMARY KEY, value TEXT NOT NULL, updated_at DATETIME);
CREATE TABLE http_bridge_sessions (id VARCHAR NOT NULL PRIMARY KEY, state VARCHAR);
CREATE TABLE alembic_version (version_num VARCHAR(255) NOT NULL PRIMARY KEY);
`

export function ddlFor(era: Era, dialect: 'sqlite' | 'postgres'): string[] {
  const text = era === 'seed' ? SEED : NEWEST
  const sql =
    dialect === 'sqlite'
      ? text.replace(/\bSERIAL\b/g, 'INTEGER NOT NULL PRIMARY KEY')
      : text
          .replace(/\bSERIAL\b/g, 'SERIAL PRIMARY KEY')
          .replace(/\bBLOB\b/g, 'BYTEA')
          .replace(/\bDATETIME\b/g, 'TIMESTAMP WITHOUT TIME ZONE')
          .replace(/\bFLOAT\b/g, 'DOUBLE PRECISION')
  const withEnum =
    dialect === 'postgres' && era === 'newest'
      ? "CREATE TYPE account_status AS ENUM ('active', 'rate_limited', 'quota_exceeded', 'paused', " +
        "'reauth_required', 'deactivated');" +
        sql.replace(
          'status VARCHAR NOT NULL, access_token',
          'status account_status NOT NULL, access_token',
        )
      : sql
  return withEnum
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}
