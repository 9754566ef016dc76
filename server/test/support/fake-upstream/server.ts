import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { makeAuthJson, type CodexAuthJson, type TokenSet } from '../jwt.js'
import { AccountStore, type AccountState } from './accounts.js'
import { playCompact, sendHttpError, sendRaw, usageLimitReached } from './behaviours.js'
import { defaultModels, usageBody } from './catalog.js'
import { ConcurrencyLog } from './concurrency.js'
import { bearer, errorBody, EXPIRED, field, recordRequest, sendJson } from './http.js'
import { OAuthFake } from './oauth.js'
import { Script } from './script.js'
import { DEFAULT_MODEL } from './sse-events.js'
import { playStream } from './sse-writer.js'
import type {
  AccountRef,
  AddAccountOptions,
  AuthCodeOptions,
  CompactBehaviour,
  DeviceScript,
  DeviceSession,
  FakeAccount,
  HttpErrorBehaviour,
  RawJson,
  RecordedRequest,
  RefreshBehaviour,
  ResponseBehaviour,
  UsageOptions,
} from './types.js'
import { Waiters } from './waiters.js'
import { WsFake } from './ws-server.js'

/** A scriptable stand-in for chatgpt.com/backend-api and auth.openai.com on a real socket. */
export class FakeUpstream {
  readonly url: string
  readonly backendBaseUrl: string
  readonly authBaseUrl: string
  /** Where Codex's WebSocket transport connects (`{backendBaseUrl}/codex/responses` over ws). */
  readonly wsUrl: string
  /** Every request in arrival order. */
  readonly requests: RecordedRequest[] = []
  /** Requests whose client closed the connection before the response ended. */
  readonly aborted: RecordedRequest[] = []
  private readonly store = new AccountStore()
  private readonly oauth = new OAuthFake(this.store)
  private readonly scripts = new Map<AccountState, Script<ResponseBehaviour>>()
  private readonly compactScripts = new Map<AccountState, Script<CompactBehaviour>>()
  private readonly usage = new Map<AccountState, UsageOptions | RawJson>()
  private usageDelayMs = 0
  private readonly limits = new Map<AccountState, HttpErrorBehaviour>()
  private defaultScript = new Script<ResponseBehaviour>([{ kind: 'ok' }])
  /** WebSocket upgrades of `/backend-api/codex/responses`: scripts, logs, switches. */
  readonly ws = new WsFake({
    store: this.store,
    httpBehaviour: (state) => this.nextBehaviour(state),
    limit: (state) => this.limits.get(state),
    enter: (state) => this.concurrency.enter(state.account),
  })
  private models: Array<Record<string, unknown>> | RawJson = defaultModels()
  private readonly waiters = new Waiters()
  /** Open Codex requests and WebSocket turns per account, and the most at once. */
  private readonly concurrency = new ConcurrencyLog()
  private abortCursor = 0
  private closing = false

  constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
    this.backendBaseUrl = `${this.url}/backend-api`
    this.wsUrl = `ws://127.0.0.1:${port}/backend-api/codex/responses`
    this.authBaseUrl = this.url
  }

  /** Until `unlimitAccount`, the account's responses (HTTP and WebSocket) are a 429 usage limit. */
  limitAccount(account: AccountRef, opts: Parameters<typeof usageLimitReached>[0] = {}): void {
    this.limits.set(this.store.get(account), usageLimitReached(opts))
  }

  unlimitAccount(account: AccountRef): void {
    this.limits.delete(this.store.get(account))
  }

  get deviceSessions(): readonly DeviceSession[] {
    return this.oauth.deviceSessions
  }

  addAccount(options: AddAccountOptions = {}): FakeAccount {
    return this.store.add(options)
  }

  accounts(): FakeAccount[] {
    return this.store.all()
  }

  /** The account's newest tokens; `generation` counts rotations (refreshes and logins). */
  tokens(account: AccountRef): TokenSet & { authJson: CodexAuthJson; generation: number } {
    const state = this.store.get(account)
    const authJson = makeAuthJson(state.current, state.account.chatgptAccountId)
    return { ...state.current, authJson, generation: state.generation }
  }

  /** Refresh-token grant requests that named this account's tokens, whatever the outcome. */
  refreshCount(account: AccountRef): number {
    return this.store.get(account).refreshAttempts
  }

  /** Makes the current access token answer 401 `token_expired` (as if expired upstream). */
  expireAccessToken(account: AccountRef): void {
    this.store.expireAccess(this.store.get(account))
  }

  script(account: AccountRef, ...behaviours: ResponseBehaviour[]): void {
    this.scripts.set(this.store.get(account), new Script(behaviours))
  }

  /** Behaviours for accounts without their own script. */
  scriptDefault(...behaviours: ResponseBehaviour[]): void {
    this.defaultScript = new Script(behaviours)
  }

  scriptCompact(account: AccountRef, ...behaviours: CompactBehaviour[]): void {
    this.compactScripts.set(this.store.get(account), new Script(behaviours))
  }

  setUsage(account: AccountRef, usage: UsageOptions | RawJson): void {
    this.usage.set(this.store.get(account), usage)
  }

  /** Usage answers wait this long before they are sent (0: at once); answers already waiting keep theirs. */
  setUsageDelay(ms: number): void {
    this.usageDelayMs = ms
  }

  setModels(models: Array<Record<string, unknown>> | RawJson): void {
    this.models = models
  }

  scriptRefresh(account: AccountRef, ...behaviours: RefreshBehaviour[]): void {
    this.oauth.refreshScripts.set(this.store.get(account), new Script(behaviours))
  }

  /** Every refresh of this account fails with `{"error":{"code"}}`, e.g. refresh_token_expired. */
  failRefresh(account: AccountRef, code = 'refresh_token_expired', status = 401): void {
    this.scriptRefresh(account, { kind: 'error', code, status })
  }

  /** Lets `grant_type=authorization_code` with this code (and verifier, if given) log in. */
  registerAuthCode(
    code: string,
    account: AccountRef,
    codeVerifier?: string,
    options?: AuthCodeOptions,
  ): void {
    this.oauth.registerCode(code, this.store.get(account), codeVerifier, options)
  }

  /** How the next device-code logins go; applies until changed. */
  scriptDevice(script: DeviceScript): void {
    this.store.get(script.account)
    this.oauth.deviceScript = script
  }

  /** Codex requests (HTTP and WebSocket turns) this account has open now. */
  inFlight(account: AccountRef): number {
    return this.concurrency.current(this.store.get(account).account)
  }

  /** The most Codex requests this account ever had open at once (since the last `reset`). */
  maxConcurrent(account: AccountRef): number {
    return this.concurrency.max(this.store.get(account).account)
  }

  requestsTo(path: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (!method || r.method === method))
  }

  /** Resolves with the `count`-th request to `path` (1-based), once it has arrived. */
  waitForRequest(path: string, opts: { count?: number; timeoutMs?: number } = {}) {
    const count = opts.count ?? 1
    const ready = () => this.requestsTo(path)[count - 1]
    return this.waiters.wait(ready, opts.timeoutMs, `request to ${path}`)
  }

  /** Resolves with the next client abort not yet returned by an earlier call. */
  waitForAbort(timeoutMs?: number): Promise<RecordedRequest> {
    return this.waiters.wait(
      () => {
        const next = this.aborted[this.abortCursor]
        if (next) this.abortCursor += 1
        return next
      },
      timeoutMs,
      'client abort',
    )
  }

  /** Forgets requests and every script and override; accounts and their tokens stay. */
  reset(): void {
    this.requests.length = 0
    this.aborted.length = 0
    this.abortCursor = 0
    this.scripts.clear()
    this.compactScripts.clear()
    this.usage.clear()
    this.usageDelayMs = 0
    this.limits.clear()
    this.ws.reset()
    this.oauth.reset()
    this.concurrency.resetPeaks()
    this.defaultScript = new Script<ResponseBehaviour>([{ kind: 'ok' }])
    this.models = defaultModels()
  }

  async close(): Promise<void> {
    this.closing = true
    this.ws.close()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  /** @internal entry point of the node:http server */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController()
    let serverDropped = false
    const { record, decodeError } = await recordRequest(req)
    res.on('close', () => {
      record.status = res.headersSent ? res.statusCode : undefined
      if (!res.writableFinished && !serverDropped && !this.closing) {
        record.aborted = true
        this.aborted.push(record)
        this.waiters.notify()
      }
      controller.abort()
    })
    this.requests.push(record)
    this.waiters.notify()
    if (decodeError) {
      return sendJson(res, 400, errorBody('invalid_encoding', decodeError.message))
    }
    const hooks = { signal: controller.signal, onServerDrop: () => (serverDropped = true) }
    await this.route(record, res, hooks)
  }

  private async route(
    req: RecordedRequest,
    res: ServerResponse,
    hooks: { signal: AbortSignal; onServerDrop(): void },
  ): Promise<void> {
    const route = `${req.method} ${req.path}`
    if (route === 'POST /oauth/token') return this.oauth.token(req, res, hooks.signal)
    if (route === 'POST /api/accounts/deviceauth/usercode') return this.oauth.userCode(res)
    if (route === 'POST /api/accounts/deviceauth/token') return this.oauth.devicePoll(req, res)
    const known = [
      'POST /backend-api/codex/responses',
      'POST /backend-api/codex/responses/compact',
      'GET /backend-api/codex/models',
      'GET /backend-api/wham/usage',
    ]
    if (!known.includes(route)) return sendJson(res, 404, { detail: 'Not Found' })
    const state = this.store.byAccessToken(bearer(req))
    if (!state) return sendJson(res, 401, EXPIRED)
    req.account = state.account
    if (route.startsWith('POST /backend-api/codex/responses')) {
      res.once('close', this.concurrency.enter(state.account))
    }
    const model = field(req.body, 'model') ?? DEFAULT_MODEL
    if (route === 'GET /backend-api/codex/models') return this.sendModels(res)
    if (route === 'GET /backend-api/wham/usage') return this.sendUsage(state, res)
    if (route === 'POST /backend-api/codex/responses/compact') {
      const behaviour = this.compactScripts.get(state)?.next() ?? { kind: 'ok' }
      return playCompact(res, behaviour, model, hooks.signal)
    }
    const limit = this.limits.get(state)
    if (limit) return sendHttpError(res, limit)
    const behaviour = this.nextBehaviour(state)
    if (behaviour.kind === 'http-error') return sendHttpError(res, behaviour)
    if (behaviour.kind === 'raw') return sendRaw(res, behaviour, hooks.signal)
    const ctx = {
      responseId: `resp_${randomBytes(12).toString('hex')}`,
      model: behaviour.model ?? model,
      createdAt: Math.floor(Date.now() / 1000),
    }
    await playStream(res, behaviour, ctx, hooks)
  }

  private nextBehaviour(state: AccountState): ResponseBehaviour {
    return (this.scripts.get(state) ?? this.defaultScript).next()
  }

  private sendModels(res: ServerResponse): void {
    const m = this.models
    if (Array.isArray(m)) return sendJson(res, 200, { models: m })
    sendJson(res, m.status, m.body, m.headers)
  }

  private sendUsage(state: AccountState, res: ServerResponse): void {
    if (this.usageDelayMs > 0) {
      const timer = setTimeout(() => this.sendUsageNow(state, res), this.usageDelayMs)
      res.on('close', () => clearTimeout(timer))
      return
    }
    this.sendUsageNow(state, res)
  }

  private sendUsageNow(state: AccountState, res: ServerResponse): void {
    if (res.destroyed) return
    const u = this.usage.get(state) ?? {}
    if ('status' in u) return sendJson(res, u.status, u.body, u.headers)
    sendJson(res, 200, usageBody(state.account.planType, u))
  }
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. Close it in afterAll/afterEach. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const fake = new FakeUpstream(server)
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    fake.ws.handleUpgrade(req, socket, head)
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    fake.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody('fake_crashed', String(err)))
      else res.destroy()
    })
  })
  return fake
}
