import type { Config } from '../../config/index.js'
import type { Clock } from '../../lib/clock.js'
import type { AccountsService } from '../accounts/index.js'
import { BrowserLogins, TIMED_OUT } from './browser-login.js'
import { DeviceLogins } from './device-login.js'
import {
  DEFAULT_DEVICE_POLL_TIMING,
  expiredError,
  realSleep,
  type DevicePolling,
} from './device-flow.js'
import {
  CallbackPortUnavailableError,
  OAuthFlowNotFoundError,
  OAuthUpstreamError,
} from './errors.js'
import { IDLE_STATUS, flowView, type OAuthLogger } from './flow-outcomes.js'
import { FlowRegistry, type Flow, type OAuthMethod } from './flows.js'
import type { CompleteBody, OAuthFlowStatus, OAuthStartResponse, StatusQuery } from './schemas.js'

export interface OAuthServiceDeps {
  config: Pick<Config, 'oauth'>
  accounts: Pick<AccountsService, 'importTokens'>
  clock: Clock
  log: OAuthLogger
  /** The auth server is called through this (tests may inject); defaults to global fetch. */
  fetch?: typeof fetch
  devicePolling?: DevicePolling
}

/**
 * Adding accounts by signing in with ChatGPT: the browser (PKCE) flow, finished by the local
 * callback listener or a pasted redirect URL, and the device-code flow. Any number of sign-ins may
 * run at once, each its own Flow (the original kept one process-wide slot).
 */
export class OAuthService {
  readonly #flows = new FlowRegistry()
  readonly #browser: BrowserLogins
  readonly #device: DeviceLogins

  constructor(private readonly deps: OAuthServiceDeps) {
    const { oauth } = deps.config
    const client = {
      authBaseUrl: oauth.authBaseUrl,
      clientId: oauth.clientId,
      timeoutMs: oauth.timeoutMs,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }
    const outcome = { accounts: deps.accounts, clock: deps.clock, log: deps.log }
    this.#browser = new BrowserLogins({
      ...outcome,
      config: deps.config,
      flows: this.#flows,
      client,
    })
    this.#device = new DeviceLogins({
      ...outcome,
      authBaseUrl: oauth.authBaseUrl,
      flows: this.#flows,
      client,
      sleep: deps.devicePolling?.sleep ?? realSleep,
      timing: { ...DEFAULT_DEVICE_POLL_TIMING, ...deps.devicePolling?.timing },
    })
  }

  /**
   * Starts a sign-in. The browser flow falls back to the device flow when the callback port
   * cannot be bound (another process holds it, or it is privileged here).
   */
  async start(forceMethod?: OAuthMethod | null): Promise<OAuthStartResponse> {
    if (forceMethod === 'device') return this.#device.start()
    try {
      return await this.#browser.start()
    } catch (err) {
      if (!(err instanceof CallbackPortUnavailableError)) throw err
      this.deps.log.warn(
        { address: err.address, reason: err.reason },
        'oauth callback port unavailable; using the device-code flow',
      )
      return this.#fallBackToDevice(err)
    }
  }

  /** The device flow in place of the browser one; its failure names the port as the first cause. */
  async #fallBackToDevice(cause: CallbackPortUnavailableError): Promise<OAuthStartResponse> {
    try {
      return await this.#device.start()
    } catch (err) {
      if (!(err instanceof OAuthUpstreamError)) throw err
      throw new OAuthUpstreamError(
        `The sign-in callback port ${cause.address} is unavailable (${cause.reason}), and the ` +
          `device-code sign-in used instead failed: ${err.message}`,
        err.code,
      )
    }
  }

  /** One flow by id or state; without either the newest (none yet reads as pending). */
  status(query: StatusQuery = {}): OAuthFlowStatus {
    if (query.flowId !== undefined) return this.#view(this.#flows.get(query.flowId))
    if (query.state !== undefined) return this.#view(this.#flows.byState(query.state))
    const latest = this.#flows.latest()
    return latest ? this.#view(latest) : IDLE_STATUS
  }

  /**
   * Finishes a browser sign-in from a pasted redirect URL (throws when it cannot), or reports a
   * flow's status: device flows poll on their own from the start.
   */
  async complete(body: CompleteBody): Promise<OAuthFlowStatus> {
    if (body.callbackUrl) return flowView(await this.#browser.completePasted(body.callbackUrl))
    if (body.flowId) return this.status({ flowId: body.flowId })
    if (body.deviceAuthId || body.userCode) {
      const { deviceAuthId, userCode } = body
      return this.#view(this.#flows.byDevice(deviceAuthId ?? undefined, userCode ?? undefined))
    }
    return this.status()
  }

  /** Resolves once the flow is no longer pending (the CLI waits here). */
  async waitFor(flowId: string): Promise<OAuthFlowStatus> {
    const flow = this.#flows.get(flowId)
    if (!flow) throw new OAuthFlowNotFoundError()
    await flow.done
    return flowView(flow)
  }

  /** How a flow ended, once it has (for the audit log: the view plus whether an account was new). */
  async outcome(flowId: string): Promise<OAuthFlowStatus & { created: boolean | null }> {
    const flow = this.#flows.get(flowId)
    if (!flow) throw new OAuthFlowNotFoundError()
    await flow.done
    return { ...flowView(flow), created: flow.created }
  }

  /** Ends pending sign-ins, waits for device polls to stop, closes the callback listener. */
  async close(): Promise<void> {
    for (const flow of this.#flows.all())
      flow.fail('The server shut down before the sign-in ended.')
    await this.#device.close()
    await this.#browser.close()
  }

  #view(flow: Flow | undefined): OAuthFlowStatus {
    if (!flow) throw new OAuthFlowNotFoundError()
    // The expiry timer or the device poll ends the flow too; this covers the moment in between.
    if (flow.status === 'pending' && this.deps.clock.now() >= flow.expiresAt) {
      flow.fail(flow.method === 'device' ? expiredError().message : TIMED_OUT)
    }
    return flowView(flow)
  }
}

export function createOAuthService(deps: OAuthServiceDeps): OAuthService {
  return new OAuthService(deps)
}
