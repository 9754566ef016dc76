import { isRecord } from '../../lib/json.js'
import { ApiKeyOnlyAuthJsonError, InvalidAuthJsonError } from './errors.js'

/** The parts of a Codex CLI `auth.json` we use; everything else (OPENAI_API_KEY …) is ignored. */
export interface AuthJson {
  idToken: string
  accessToken: string
  refreshToken: string
  /** `tokens.account_id`: the ChatGPT workspace the tokens belong to, when the file says so. */
  accountId: string | null
  /** When the tokens were last refreshed (epoch ms), when the file says so. */
  lastRefreshAt: number | null
}

type JsonObject = Record<string, unknown>

const TOKEN_FIELDS = [
  ['idToken', 'id_token'],
  ['accessToken', 'access_token'],
  ['refreshToken', 'refresh_token'],
] as const

// The Codex CLI writes `last_refresh`; the camelCase and `_at` spellings come from other exporters.
const LAST_REFRESH_KEYS = ['last_refresh', 'last_refresh_at', 'lastRefreshAt', 'lastRefresh']

/** The value under the snake_case key, else the camelCase one; null/undefined count as absent. */
function pick(obj: JsonObject, snake: string, camel: string): unknown {
  return obj[snake] ?? obj[camel] ?? undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    // V8's message quotes a slice of the input, which may be a token: keep only the position.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new InvalidAuthJsonError(
      `auth.json is not valid JSON${at === undefined ? '' : ` (error at character ${at})`}`,
    )
  }
}

/** The largest epoch ms a Date can hold. */
const MAX_DATE_MS = 8.64e15

function readLastRefresh(root: JsonObject, problems: string[]): number | null {
  const key = LAST_REFRESH_KEYS.find((k) => root[k] !== undefined && root[k] !== null)
  if (key === undefined) return null
  const value = root[key]
  const ms =
    typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN
  // A number outside the Date range (±8.64e15 ms) would be stored and then break every ISO date
  // shown or exported for the account.
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    problems.push(`${key} is not a valid ISO-8601 date`)
    return null
  }
  // Whole milliseconds: the column is an integer (a bigint on PostgreSQL refuses 1.5).
  return Math.floor(ms)
}

function readTokens(root: JsonObject, problems: string[]): Record<string, string> | null {
  const tokens = root.tokens
  if (tokens === undefined || tokens === null) {
    problems.push('tokens is missing')
    return null
  }
  if (!isRecord(tokens)) {
    problems.push('tokens must be an object')
    return null
  }
  const out: Record<string, string> = {}
  for (const [camel, snake] of TOKEN_FIELDS) {
    const value = pick(tokens, snake, camel)
    if (value === undefined) problems.push(`tokens.${snake} is missing`)
    else if (typeof value !== 'string' || value.trim() === '')
      problems.push(`tokens.${snake} must be a non-empty string`)
    else out[camel] = value.trim()
  }
  const accountId = pick(tokens, 'account_id', 'accountId')
  if (accountId !== undefined && typeof accountId !== 'string')
    problems.push('tokens.account_id must be a string')
  else if (typeof accountId === 'string' && accountId.trim() !== '')
    out.accountId = accountId.trim()
  return out
}

/**
 * Parses the text of a Codex CLI `auth.json` (snake_case as the CLI writes it, or camelCase). Throws
 * InvalidAuthJsonError listing every missing or malformed field; it never echoes token values.
 */
export function parseAuthJson(text: string): AuthJson {
  const root = parseJson(text)
  if (!isRecord(root)) throw new InvalidAuthJsonError('auth.json must be a JSON object')
  // What `codex login --api-key` writes: nothing to import (and the key is never echoed).
  const apiKey = root['OPENAI_API_KEY']
  if ((root.tokens ?? null) === null && typeof apiKey === 'string' && apiKey.trim() !== '') {
    throw new ApiKeyOnlyAuthJsonError()
  }
  const problems: string[] = []
  const tokens = readTokens(root, problems)
  const lastRefreshAt = readLastRefresh(root, problems)
  if (problems.length > 0 || !tokens) throw new InvalidAuthJsonError(problems.join('; '))
  return {
    idToken: tokens.idToken!,
    accessToken: tokens.accessToken!,
    refreshToken: tokens.refreshToken!,
    accountId: tokens.accountId ?? null,
    lastRefreshAt,
  }
}

/** A Codex CLI `auth.json` in ChatGPT mode, as `codex login` writes it (snake_case). */
export interface CodexAuthJsonFile {
  /** Always null: the file carries a ChatGPT sign-in, not an API key. */
  OPENAI_API_KEY: null
  tokens: {
    id_token: string
    access_token: string
    refresh_token: string
    /** The ChatGPT workspace; Codex sends it as `chatgpt-account-id`. */
    account_id: string | null
  }
  /** RFC 3339; Codex refreshes the tokens once this is 8 days old. */
  last_refresh: string
}

/** The inverse of parseAuthJson: the file Codex CLI reads from `~/.codex/auth.json`. */
export function formatAuthJson(
  tokens: Omit<AuthJson, 'lastRefreshAt'>,
  lastRefreshAt: number,
): CodexAuthJsonFile {
  return {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      account_id: tokens.accountId,
    },
    last_refresh: new Date(lastRefreshAt).toISOString(),
  }
}
