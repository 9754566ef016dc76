import type { Kysely } from 'kysely'
import type { TokenCipher } from '../../crypto/index.js'
import type { Database } from '../../db/index.js'
import { DashboardConflictError, DashboardRateLimitError } from '../../errors/index.js'
import type { Clock } from '../../lib/clock.js'
import { failureReason, type AuditClient, type AuditLog } from '../audit/index.js'
import { formatAuthJson, type CodexAuthJsonFile } from './auth-json.js'
import { AccountNotFoundError } from './errors.js'
import { AccountsRepository } from './repository.js'

export interface ExportRequest {
  password: string
  totpCode?: string | undefined
}

/** Where the request came from (the address after trust-proxy), for the limit and the audit row. */
export type ExportClient = AuditClient

/** A sliding window per key (dashboard-auth's FailureRateLimiter). */
export interface AttemptLimiter {
  retryAfterSeconds(key: string, now: number): number | null
  recordFailure(key: string, now: number): void
}

export interface CredentialsExportDeps {
  repository: AccountsRepository
  cipher: TokenCipher
  clock: Clock
  /** Throws a 403 naming the factor that failed (dashboard-auth's re-authentication). */
  reauthenticate(input: ExportRequest, purpose: string): Promise<void>
  limiter: AttemptLimiter
  audit: Pick<AuditLog, 'record'>
}

export interface ExportedAuthJson {
  filename: string
  file: CodexAuthJsonFile
}

/** 5 attempts per 15 minutes per client address, successful ones included. */
export const EXPORT_ATTEMPTS = 5
export const EXPORT_WINDOW_MS = 15 * 60_000

const PURPOSE = 'Exporting credentials'

/** `auth-<alias or id>.json` with only filename-safe characters, so the header needs no quoting rules. */
export function exportFilename(alias: string | null, id: string): string {
  const slug = (alias ?? id)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 64)
  return `auth-${slug || 'account'}.json`
}

/**
 * Hands an account's tokens out as a Codex CLI `auth.json`, for the user's own use, behind a fresh
 * re-authentication. Every attempt is limited per client and audited, and nothing secret goes into
 * the audit row or the error answers.
 */
export class CredentialsExporter {
  constructor(private readonly deps: CredentialsExportDeps) {}

  async export(
    accountId: string,
    request: ExportRequest,
    client: ExportClient,
  ): Promise<ExportedAuthJson> {
    const { limiter, clock } = this.deps
    const record = (outcome: 'success' | 'failure', reason?: string) =>
      this.deps.audit.record({
        action: 'account.credentials_exported',
        outcome,
        target: { type: 'account', id: accountId },
        ...(reason === undefined ? {} : { details: { reason } }),
        client,
      })
    const key = `auth-json-export:${client.ip ?? 'unknown'}`
    const retryAfter = limiter.retryAfterSeconds(key, clock.now())
    if (retryAfter !== null) {
      await record('failure', 'rate_limited')
      throw new DashboardRateLimitError(retryAfter, 'export_rate_limited')
    }
    // Every attempt counts, a successful one too: a stolen session gets five tries, not a loop.
    limiter.recordFailure(key, clock.now())
    try {
      const exported = await this.#export(accountId, request)
      await record('success')
      return exported
    } catch (err) {
      await record('failure', failureReason(err))
      throw err
    }
  }

  async #export(accountId: string, request: ExportRequest): Promise<ExportedAuthJson> {
    const row = await this.deps.repository.findById(accountId)
    if (!row) throw new AccountNotFoundError(accountId)
    await this.deps.reauthenticate(request, PURPOSE)
    const encrypted = [row.id_token_enc, row.access_token_enc, row.refresh_token_enc]
    if (encrypted.some((value) => value === '')) {
      throw new DashboardConflictError('This account has no stored tokens to export', 'no_tokens')
    }
    const [idToken, accessToken, refreshToken] = encrypted.map((v) => this.deps.cipher.decrypt(v))
    const file = formatAuthJson(
      {
        idToken: idToken!,
        accessToken: accessToken!,
        refreshToken: refreshToken!,
        accountId: row.chatgpt_account_id,
      },
      row.last_refresh_at,
    )
    return { filename: exportFilename(row.alias ?? null, row.id), file }
  }
}

export function createCredentialsExporter(
  deps: Omit<CredentialsExportDeps, 'repository'> & { db: Kysely<Database> },
): CredentialsExporter {
  const { db, ...rest } = deps
  return new CredentialsExporter({ ...rest, repository: new AccountsRepository(db) })
}
