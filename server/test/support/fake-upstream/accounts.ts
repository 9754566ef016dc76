import { randomUUID } from 'node:crypto'
import { makeAuthJson, makeTokenSet, type TokenSet } from '../jwt.js'
import type { AccountRef, AddAccountOptions, FakeAccount } from './types.js'

export interface AccountState {
  account: FakeAccount
  current: TokenSet
  /** Successful rotations (refresh or a new login). */
  generation: number
  refreshAttempts: number
  ttlSeconds: number | undefined
}

interface RefreshTokenEntry {
  state: AccountState
  /** Rotated away: presenting it again is a replay (`refresh_token_reused`). */
  used: boolean
  /** The access token issued with it; retired by the rotation. */
  accessToken: string
}

export type RefreshLookup =
  | { kind: 'current'; state: AccountState }
  | { kind: 'reused'; state: AccountState }
  | { kind: 'unknown' }

/**
 * Who owns which token. Like the real auth server, a refresh rotates the whole set: the old access
 * token stops working at once and the old refresh token becomes a replay.
 */
export class AccountStore {
  private readonly states: AccountState[] = []
  private readonly accessTokens = new Map<string, { state: AccountState; valid: boolean }>()
  private readonly refreshTokens = new Map<string, RefreshTokenEntry>()
  private counter = 0

  add(options: AddAccountOptions = {}): FakeAccount {
    this.counter += 1
    const chatgptAccountId = options.chatgptAccountId ?? randomUUID()
    const email = options.email ?? `user${this.counter}@example.com`
    const planType = options.planType ?? 'plus'
    const tokens = this.mint(email, chatgptAccountId, planType, options.tokenTtlSeconds)
    const account: FakeAccount = {
      chatgptAccountId,
      email,
      planType,
      ...tokens,
      authJson: makeAuthJson(tokens, chatgptAccountId),
    }
    const state: AccountState = {
      account,
      current: tokens,
      generation: 0,
      refreshAttempts: 0,
      ttlSeconds: options.tokenTtlSeconds,
    }
    this.states.push(state)
    this.register(state, tokens)
    return account
  }

  all(): FakeAccount[] {
    return this.states.map((s) => s.account)
  }

  /** Throws for an unknown ref: a typo in a test should fail loudly, not script nothing. */
  get(ref: AccountRef): AccountState {
    const state = this.find(ref)
    if (!state) throw new Error(`fake upstream: unknown account ${String(ref)}`)
    return state
  }

  find(ref: AccountRef): AccountState | undefined {
    if (typeof ref !== 'string') return this.states.find((s) => s.account === ref)
    return (
      this.states.find((s) => s.account.chatgptAccountId === ref || s.account.email === ref) ??
      this.accessTokens.get(ref)?.state ??
      this.refreshTokens.get(ref)?.state
    )
  }

  /** The account whose currently valid access token this is. */
  byAccessToken(token: string | undefined): AccountState | undefined {
    const entry = token === undefined ? undefined : this.accessTokens.get(token)
    return entry?.valid ? entry.state : undefined
  }

  lookupRefresh(token: string): RefreshLookup {
    const entry = this.refreshTokens.get(token)
    if (!entry) return { kind: 'unknown' }
    return { kind: entry.used ? 'reused' : 'current', state: entry.state }
  }

  /** Refresh-token grant: retires `oldRefresh` and its access token, returns the new set. */
  rotate(state: AccountState, oldRefresh: string): TokenSet {
    const entry = this.refreshTokens.get(oldRefresh)
    if (entry) {
      entry.used = true
      const access = this.accessTokens.get(entry.accessToken)
      if (access) access.valid = false
    }
    return this.issue(state)
  }

  /** The current access token stops working; the refresh token still rotates it. */
  expireAccess(state: AccountState): void {
    const access = this.accessTokens.get(state.current.accessToken)
    if (access) access.valid = false
  }

  /** A new login (authorization code): a fresh set; earlier sessions keep working. */
  issue(state: AccountState): TokenSet {
    const { email, chatgptAccountId, planType } = state.account
    const tokens = this.mint(email, chatgptAccountId, planType, state.ttlSeconds)
    state.current = tokens
    state.generation += 1
    this.register(state, tokens)
    return tokens
  }

  private mint(email: string, id: string, plan: string, ttl: number | undefined): TokenSet {
    return makeTokenSet({
      email,
      chatgptAccountId: id,
      planType: plan,
      ...(ttl === undefined ? {} : { ttlSeconds: ttl }),
    })
  }

  private register(state: AccountState, tokens: TokenSet): void {
    this.accessTokens.set(tokens.accessToken, { state, valid: true })
    this.refreshTokens.set(tokens.refreshToken, {
      state,
      used: false,
      accessToken: tokens.accessToken,
    })
  }
}
