import type { Config } from '../../config/index.js'
import { AppError } from '../../errors/index.js'
import { exchangeCode, type AuthClientOptions } from './auth-client.js'
import { checkCallback, parseCallbackUrl } from './browser-callback.js'
import { CALLBACK_PATH, CallbackServer } from './callback-server.js'
import { UNEXPECTED_FAILURE } from './errors.js'
import { failFlow, storeAccount, type OutcomeDeps } from './flow-outcomes.js'
import { Flow, type FlowRegistry } from './flows.js'
import { failurePage, successPage, type CallbackPage } from './pages.js'
import { buildAuthorizationUrl, createPkce, createState } from './pkce.js'
import type { OAuthStartResponse } from './schemas.js'

export interface BrowserLoginDeps extends OutcomeDeps {
  config: Pick<Config, 'oauth'>
  flows: FlowRegistry
  client: AuthClientOptions
}

export const TIMED_OUT = 'The sign-in timed out. Start a new sign-in.'

/**
 * The browser (PKCE) sign-in (original-proxy §3.2): the authorization URL, the shared callback
 * listener, and finishing from either the listener or a pasted redirect URL. The listener runs
 * only while a browser flow is pending.
 */
export class BrowserLogins {
  readonly #listener: CallbackServer
  #closed = false

  constructor(private readonly deps: BrowserLoginDeps) {
    const { oauth } = deps.config
    this.#listener = new CallbackServer({
      host: oauth.callbackHost,
      port: oauth.callbackPort,
      handle: (query) => this.#callbackPage(query),
      // After the page went out: closing earlier would cut the response.
      afterResponse: () => this.#closeListenerIfIdle(),
    })
  }

  /** Throws CallbackPortUnavailableError when the port cannot be bound (no flow is kept then). */
  async start(): Promise<OAuthStartResponse> {
    const { oauth } = this.deps.config
    const pkce = createPkce()
    const now = this.deps.clock.now()
    const secrets = { state: createState(), codeVerifier: pkce.verifier, redirectUri: '' }
    const flow = new Flow('browser', now, now + oauth.flowTtlMs, secrets, undefined)
    // Registered before listening, so that a concurrent idle-close sees it and keeps the listener.
    this.deps.flows.add(flow)
    let port: number
    try {
      port = await this.#listener.ensureListening()
    } catch (err) {
      this.deps.flows.remove(flow.id)
      throw err
    }
    // The auth server only redirects to registered URIs: localhost:1455 for this client id.
    secrets.redirectUri = oauth.redirectUri ?? `http://localhost:${port}${CALLBACK_PATH}`
    this.#expireLater(flow)
    this.deps.log.info({ flowId: flow.id, method: 'browser' }, 'oauth sign-in started')
    const authorizationUrl = buildAuthorizationUrl({
      authBaseUrl: oauth.authBaseUrl,
      clientId: oauth.clientId,
      redirectUri: secrets.redirectUri,
      scope: oauth.scope,
      codeChallenge: pkce.challenge,
      state: secrets.state,
    })
    return {
      method: 'browser',
      flowId: flow.id,
      state: secrets.state,
      authorizationUrl,
      callbackUrl: secrets.redirectUri,
      verificationUrl: null,
      userCode: null,
      deviceAuthId: null,
      intervalSeconds: null,
      expiresInSeconds: Math.round(oauth.flowTtlMs / 1000),
    }
  }

  /** POST /api/oauth/complete with the redirect URL the browser showed (remote servers). */
  async completePasted(callbackUrl: string): Promise<Flow> {
    try {
      return await this.#finish(parseCallbackUrl(callbackUrl))
    } finally {
      this.#closeListenerIfIdle()
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#listener.close()
  }

  async #callbackPage(query: URLSearchParams): Promise<CallbackPage> {
    try {
      const flow = await this.#finish(query)
      return successPage(flow.email ?? flow.accountId ?? 'The account')
    } catch (err) {
      if (err instanceof AppError) return failurePage(err.status, err.message)
      return failurePage(500, UNEXPECTED_FAILURE)
    }
  }

  /** Checks the callback, exchanges the code and stores the account; the flow ends either way. */
  async #finish(params: URLSearchParams): Promise<Flow> {
    const check = checkCallback(params, this.deps.flows, this.deps.clock.now())
    if (!check.ok) {
      if (check.flow) failFlow(this.deps.log, check.flow, check.error)
      else this.deps.log.warn({ code: check.error.code }, 'oauth callback refused')
      throw check.error
    }
    const { flow, code } = check
    const { codeVerifier, redirectUri } = flow.browser!
    flow.busy = true
    try {
      const tokens = await exchangeCode(this.deps.client, { code, codeVerifier, redirectUri })
      await storeAccount(this.deps, flow, tokens)
      return flow
    } catch (err) {
      failFlow(this.deps.log, flow, err)
      throw err
    } finally {
      flow.busy = false
    }
  }

  #expireLater(flow: Flow): void {
    const timer = setTimeout(() => {
      flow.fail(TIMED_OUT)
      this.#closeListenerIfIdle()
    }, flow.expiresAt - flow.createdAt)
    timer.unref()
    void flow.done.then(() => clearTimeout(timer))
  }

  #closeListenerIfIdle(): void {
    void this.#listener.closeIf(
      () => this.#closed || this.deps.flows.pending('browser').length === 0,
    )
  }
}
