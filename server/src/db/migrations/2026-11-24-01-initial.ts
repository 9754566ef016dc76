import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const serial = pg ? 'bigserial' : 'integer'
  const bigint = pg ? 'bigint' : 'integer'
  const real = pg ? 'double precision' : 'real'
  const autoId = (t: any) =>
    t.addColumn('id', serial, (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))

  await db.schema
    .createTable('accounts')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chatgpt_account_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('plan_type', 'text', (c) => c.notNull())
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text', (c) => c.notNull())
    .addColumn('id_token_enc', 'text', (c) => c.notNull())
    .addColumn('access_token_expires_at', bigint)
    .addColumn('last_refresh_at', bigint, (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('deactivation_reason', 'text')
    .addColumn('reset_at', bigint)
    .addColumn('cooldown_until', bigint)
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error_at', bigint)
    .addColumn('last_selected_at', bigint)
    .execute()
  await db.schema
    .createIndex('idx_accounts_email')
    .ifNotExists()
    .on('accounts')
    .column('email')
    .execute()
  await db.schema
    .createIndex('idx_accounts_chatgpt_account_id')
    .ifNotExists()
    .on('accounts')
    .column('chatgpt_account_id')
    .execute()

  await autoId(db.schema.createTable('usage_history').ifNotExists())
    .addColumn('account_id', 'text', (c: any) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('recorded_at', bigint, (c: any) => c.notNull())
    .addColumn('window', 'text', (c: any) => c.notNull())
    .addColumn('used_percent', real, (c: any) => c.notNull())
    .addColumn('reset_at', bigint)
    .addColumn('window_minutes', 'integer')
    .addColumn('credits_has', 'integer')
    .addColumn('credits_unlimited', 'integer')
    .addColumn('credits_balance', real)
    .execute()
  await db.schema
    .createIndex('idx_usage_recorded_at')
    .ifNotExists()
    .on('usage_history')
    .column('recorded_at')
    .execute()
  await db.schema
    .createIndex('idx_usage_account_window_time')
    .ifNotExists()
    .on('usage_history')
    .columns(['account_id', 'window', 'recorded_at'])
    .execute()

  await autoId(db.schema.createTable('request_logs').ifNotExists())
    .addColumn('account_id', 'text')
    .addColumn('api_key_id', 'text')
    .addColumn('request_id', 'text', (c: any) => c.notNull())
    .addColumn('requested_at', bigint, (c: any) => c.notNull())
    .addColumn('endpoint', 'text', (c: any) => c.notNull())
    .addColumn('model', 'text', (c: any) => c.notNull())
    .addColumn('reasoning_effort', 'text')
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('input_tokens', bigint)
    .addColumn('cached_input_tokens', bigint)
    .addColumn('output_tokens', bigint)
    .addColumn('reasoning_tokens', bigint)
    .addColumn('cost_usd', real)
    .addColumn('latency_ms', 'integer')
    .addColumn('ttfb_ms', 'integer')
    .execute()
  for (const [name, cols] of [
    ['idx_logs_requested_at', ['requested_at']],
    ['idx_logs_account_time', ['account_id', 'requested_at']],
    ['idx_logs_api_key_time', ['api_key_id', 'requested_at']],
    ['idx_logs_request_id', ['request_id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .ifNotExists()
      .on('request_logs')
      .columns([...cols])
      .execute()
  }

  await db.schema
    .createTable('sticky_sessions')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idx_sticky_account')
    .ifNotExists()
    .on('sticky_sessions')
    .column('account_id')
    .execute()
  await db.schema
    .createIndex('idx_sticky_updated_at')
    .ifNotExists()
    .on('sticky_sessions')
    .column('updated_at')
    .execute()

  await db.schema
    .createTable('dashboard_settings')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('sticky_threads_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('prefer_earlier_reset_accounts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_required_on_login', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('api_key_auth_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sticky_ttl_seconds', 'integer')
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_enc', 'text')
    .addColumn('totp_last_verified_step', bigint)
    .addColumn('session_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute()
  const now = Date.now()
  await sql`insert into dashboard_settings (id, created_at, updated_at) values (1, ${now}, ${now})
            on conflict (id) do nothing`.execute(db)

  await db.schema
    .createTable('api_keys')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('allowed_models', 'text')
    .addColumn('expires_at', bigint)
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .execute()

  await autoId(db.schema.createTable('api_key_limits').ifNotExists())
    .addColumn('api_key_id', 'text', (c: any) =>
      c.notNull().references('api_keys.id').onDelete('cascade'),
    )
    .addColumn('limit_type', 'text', (c: any) => c.notNull())
    .addColumn('limit_window', 'text', (c: any) => c.notNull())
    .addColumn('max_value', bigint, (c: any) => c.notNull())
    .addColumn('current_value', bigint, (c: any) => c.notNull().defaultTo(0))
    .addColumn('model_filter', 'text')
    .addColumn('reset_at', bigint, (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idx_api_key_limits_key_id')
    .ifNotExists()
    .on('api_key_limits')
    .column('api_key_id')
    .execute()

  await db.schema
    .createTable('api_key_usage_reservations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text', (c) =>
      c.notNull().references('api_keys.id').onDelete('cascade'),
    )
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('input_tokens', bigint)
    .addColumn('output_tokens', bigint)
    .addColumn('cached_input_tokens', bigint)
    .addColumn('cost_microdollars', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idx_reservations_key_status')
    .ifNotExists()
    .on('api_key_usage_reservations')
    .columns(['api_key_id', 'status'])
    .execute()

  await autoId(db.schema.createTable('api_key_usage_reservation_items').ifNotExists())
    .addColumn('reservation_id', 'text', (c: any) =>
      c.notNull().references('api_key_usage_reservations.id').onDelete('cascade'),
    )
    .addColumn('limit_id', serial === 'bigserial' ? 'bigint' : 'integer', (c: any) =>
      c.notNull().references('api_key_limits.id').onDelete('cascade'),
    )
    .addColumn('limit_type', 'text', (c: any) => c.notNull())
    .addColumn('reserved_delta', bigint, (c: any) => c.notNull())
    .addColumn('actual_delta', bigint)
    .addColumn('expected_reset_at', bigint, (c: any) => c.notNull())
    .addColumn('created_at', bigint, (c: any) => c.notNull())
    .addColumn('updated_at', bigint, (c: any) => c.notNull())
    .addUniqueConstraint('uq_reservation_limit', ['reservation_id', 'limit_id'])
    .execute()
  await db.schema
    .createIndex('idx_reservation_items_reservation')
    .ifNotExists()
    .on('api_key_usage_reservation_items')
    .column('reservation_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'api_key_usage_reservation_items',
    'api_key_usage_reservations',
    'api_key_limits',
    'api_keys',
    'dashboard_settings',
    'sticky_sessions',
    'request_logs',
    'usage_history',
    'accounts',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
