import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import bcrypt from 'bcryptjs'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { ddlFor, type Era } from './ddl.js'
import { fernetEncrypt, generateFernetKeyFile } from './fernet.js'

export const SEED_HEAD = '011_add_api_key_usage_reservations'
export const NEWEST_HEAD = '20260816_000000_add_model_source_embeddings'

export interface OriginalAccount {
  id: string
  email: string
  chatgptAccountId: string
  planType?: string
  /** As stored: seed-era files hold member names such as `ACTIVE`. */
  status?: string
  tokens: { access: string; refresh: string; id: string }
  deleteRequested?: boolean
  /** Stores a token whose HMAC does not verify. */
  corruptToken?: boolean
  /** When the original last refreshed the tokens (default an hour ago). */
  lastRefresh?: Date
}

export interface OriginalLimit {
  type: string
  window: string
  max: number
  current: number
  resetAt: Date
}

export interface OriginalKey {
  id: string
  name: string
  /** The plain key, as the user's tools hold it; only its SHA-256 is stored. */
  key: string
  allowedModels?: string[]
  limits?: OriginalLimit[]
  /** Reservation statuses (`reserved`, `settling` are open; their deltas are in current_value). */
  reservations?: string[]
}

export interface OriginalHistory {
  usage?: Array<{ accountId: string; window: string | null; usedPercent: number; recordedAt: Date }>
  logs?: Array<{
    accountId: string | null
    apiKeyId?: string
    requestId: string
    requestedAt: Date
    status: string
    inputTokens: number
    outputTokens: number
    costUsd?: number
    deletedAt?: Date
  }>
  pins?: Array<{ key: string; kind?: string; accountId: string; updatedAt: Date }>
}

export interface OriginalData extends OriginalHistory {
  era: Era
  revision?: string
  accounts: OriginalAccount[]
  apiKeys?: OriginalKey[]
  settings?: {
    password?: string
    totpSecret?: string
    totpRequired?: boolean
    apiKeyAuth?: boolean
    lastStep?: number
  }
}

type Statement = { sql: string; params: unknown[] }

/** A naive-UTC timestamp as SQLAlchemy writes it (`YYYY-MM-DD HH:MM:SS.ffffff`). */
export function naive(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '000')
}

export function plainApiKey(): string {
  return 'sk-clb-' + randomUUID().replace(/-/g, '') + 'abcdefghijklmnopqr'
}

/** One character of the IV changed: only the HMAC tells (the padding stays valid). */
function corrupt(token: string): string {
  return token.slice(0, 16) + (token[16] === 'A' ? 'B' : 'A') + token.slice(17)
}

function rowsOf(data: OriginalData, keyFile: string, dialect: 'sqlite' | 'postgres'): Statement[] {
  const bool = (b: boolean) => (dialect === 'sqlite' ? (b ? 1 : 0) : b)
  const blob = (plain: string) => Buffer.from(fernetEncrypt(keyFile, plain), 'ascii')
  const now = naive(new Date())
  const out: Statement[] = []
  const insert = (table: string, values: Record<string, unknown>) => {
    const cols = Object.keys(values)
    out.push({
      sql: `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      params: Object.values(values),
    })
  }
  insert('alembic_version', {
    version_num: data.revision ?? (data.era === 'seed' ? SEED_HEAD : NEWEST_HEAD),
  })
  for (const a of data.accounts) {
    const access = a.corruptToken
      ? Buffer.from(corrupt(fernetEncrypt(keyFile, a.tokens.access)))
      : blob(a.tokens.access)
    const base: Record<string, unknown> = {
      id: a.id,
      chatgpt_account_id: a.chatgptAccountId,
      email: a.email,
      plan_type: a.planType ?? 'plus',
      access_token_encrypted: access,
      refresh_token_encrypted: blob(a.tokens.refresh),
      id_token_encrypted: blob(a.tokens.id),
      last_refresh: naive(a.lastRefresh ?? new Date(Date.now() - 3_600_000)),
      created_at: '2026-01-02 03:04:05',
      status: a.status ?? (data.era === 'seed' ? 'ACTIVE' : 'active'),
    }
    if (data.era === 'newest') {
      base.codex_installation_id = randomUUID()
      base.delete_requested_at = a.deleteRequested ? now : null
    }
    insert('accounts', base)
  }
  for (const k of data.apiKeys ?? []) {
    insert('api_keys', {
      id: k.id,
      name: k.name,
      key_hash: createHash('sha256').update(k.key, 'utf8').digest('hex'),
      key_prefix: k.key.slice(0, 15),
      allowed_models: k.allowedModels ? JSON.stringify(k.allowedModels) : null,
      is_active: bool(true),
      created_at: now,
    })
    for (const [i, status] of (k.reservations ?? []).entries()) {
      insert('api_key_usage_reservations', {
        id: `ur_${k.id.replace(/-/g, '').slice(0, 24)}${String(i).padStart(8, '0')}`,
        api_key_id: k.id,
        model: 'gpt-5.4',
        status,
        cost_microdollars: 1000,
        created_at: now,
        updated_at: now,
      })
    }
    for (const l of k.limits ?? []) {
      insert('api_key_limits', {
        api_key_id: k.id,
        limit_type: l.type,
        limit_window: l.window,
        max_value: l.max,
        current_value: l.current,
        reset_at: naive(l.resetAt),
      })
    }
  }
  const s = data.settings ?? {}
  insert('dashboard_settings', {
    id: 1,
    sticky_threads_enabled: bool(false),
    prefer_earlier_reset_accounts: bool(false),
    totp_required_on_login: bool(s.totpRequired ?? false),
    password_hash: s.password ? bcrypt.hashSync(s.password, 4) : null,
    api_key_auth_enabled: bool(s.apiKeyAuth ?? false),
    totp_secret_encrypted: s.totpSecret ? blob(s.totpSecret) : null,
    totp_last_verified_step: s.lastStep ?? null,
    created_at: now,
    updated_at: now,
  })
  insertHistory(data, insert)
  if (data.era === 'newest') {
    insert('runtime_sentinels', {
      name: 'encryption_key_fingerprint',
      value: `sha256:${createHash('sha256').update(keyFile).digest('hex')}`,
    })
  }
  return out
}

function insertHistory(
  data: OriginalData,
  insert: (table: string, values: Record<string, unknown>) => void,
): void {
  for (const u of data.usage ?? []) {
    insert('usage_history', {
      account_id: u.accountId,
      recorded_at: naive(u.recordedAt),
      window: u.window,
      used_percent: u.usedPercent,
      reset_at: Math.floor(u.recordedAt.getTime() / 1000) + 3600,
    })
  }
  for (const l of data.logs ?? []) {
    const row: Record<string, unknown> = {
      account_id: l.accountId,
      api_key_id: l.apiKeyId ?? null,
      request_id: l.requestId,
      requested_at: naive(l.requestedAt),
      model: 'gpt-5.4',
      status: l.status,
      input_tokens: l.inputTokens,
      output_tokens: l.outputTokens,
      latency_ms: 1200,
    }
    if (data.era === 'newest') {
      row.cost_usd = l.costUsd ?? null
      row.deleted_at = l.deletedAt ? naive(l.deletedAt) : null
      row.slim_summary_json = '{}'
    }
    insert('request_logs', row)
  }
  for (const p of data.pins ?? []) {
    const row: Record<string, unknown> = {
      key: p.key,
      account_id: p.accountId,
      created_at: naive(p.updatedAt),
      updated_at: naive(p.updatedAt),
    }
    if (data.era === 'newest') row.kind = p.kind ?? 'sticky_thread'
    insert('sticky_sessions', row)
  }
}

/** Writes `<dir>/store.db` (WAL mode, like the original) and `<dir>/encryption.key`; returns the key. */
export function writeSqliteOriginal(
  dir: string,
  data: OriginalData,
  keyFile = generateFernetKeyFile(),
): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'encryption.key'), keyFile, { mode: 0o600 })
  const db = new SQLite(join(dir, 'store.db'))
  try {
    db.pragma('journal_mode = WAL')
    for (const ddl of ddlFor(data.era, 'sqlite')) db.exec(ddl)
    // One transaction: thousands of history rows would otherwise be thousands of commits.
    db.transaction(() => {
      for (const st of rowsOf(data, keyFile, 'sqlite')) db.prepare(st.sql).run(...st.params)
    })()
  } finally {
    db.close()
  }
  return keyFile
}

/** Creates the original's tables and rows in the (fresh) schema of `url`. */
export async function writePostgresOriginal(
  url: string,
  data: OriginalData,
  keyFile: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const ddl of ddlFor(data.era, 'postgres')) await client.query(ddl)
    for (const st of rowsOf(data, keyFile, 'postgres')) {
      let n = 0
      await client.query(
        st.sql.replace(/\?/g, () => `$${++n}`),
        st.params,
      )
    }
  } finally {
    await client.end()
  }
}
