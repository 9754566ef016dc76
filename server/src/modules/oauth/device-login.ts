import { requestDeviceCode, type AuthClientOptions } from './auth-client.js'
import {
  initialIntervalMs,
  pollForDeviceTokens,
  type DevicePollTiming,
  type DeviceSession,
  type Sleep,
} from './device-flow.js'
import { failFlow, storeAccount, type OutcomeDeps } from './flow-outcomes.js'
import { Flow, type FlowRegistry } from './flows.js'
import type { OAuthStartResponse } from './schemas.js'

export interface DeviceLoginDeps extends OutcomeDeps {
  authBaseUrl: string
  flows: FlowRegistry
  client: AuthClientOptions
  sleep: Sleep
  timing: DevicePollTiming
}

/**
 * The device-code sign-in (original-proxy §3.3): asks for a user code, then polls in the
 * background from the start (the original waited for a second call to /complete) until the user
 * approves, the code expires, or the server shuts down.
 */
export class DeviceLogins {
  readonly #tasks = new Set<Promise<void>>()

  constructor(private readonly deps: DeviceLoginDeps) {}

  /** Throws OAuthUpstreamError when the auth server will not hand out a code. */
  async start(): Promise<OAuthStartResponse> {
    const now = this.deps.clock.now()
    const code = await requestDeviceCode(this.deps.client, now)
    const expiresAt = now + code.expiresInSeconds * 1000
    const abort = new AbortController()
    const device = { deviceAuthId: code.deviceAuthId, userCode: code.userCode, abort }
    const flow = new Flow('device', now, expiresAt, undefined, device)
    this.deps.flows.add(flow)
    this.#track(this.#run(flow, { ...code, expiresAt }))
    this.deps.log.info({ flowId: flow.id, method: 'device' }, 'oauth sign-in started')
    return {
      method: 'device',
      flowId: flow.id,
      state: null,
      authorizationUrl: null,
      callbackUrl: null,
      verificationUrl: `${this.deps.authBaseUrl}/codex/device`,
      userCode: code.userCode,
      deviceAuthId: code.deviceAuthId,
      intervalSeconds: Math.ceil(initialIntervalMs(code, this.deps.timing) / 1000),
      expiresInSeconds: code.expiresInSeconds,
    }
  }

  /** Waits for polls to stop; the caller has failed (and so aborted) their flows first. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#tasks])
  }

  async #run(flow: Flow, session: DeviceSession): Promise<void> {
    const { client, clock, sleep, timing } = this.deps
    try {
      const tokens = await pollForDeviceTokens(
        { client, clock, sleep, timing },
        session,
        flow.device!.abort.signal,
      )
      await storeAccount(this.deps, flow, tokens)
    } catch (err) {
      failFlow(this.deps.log, flow, err)
    }
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task)
    void task.finally(() => this.#tasks.delete(task))
  }
}
