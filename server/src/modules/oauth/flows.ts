import { randomUUID } from 'node:crypto'

export type OAuthMethod = 'browser' | 'device'
export type FlowStatus = 'pending' | 'success' | 'error'

/** What only the server may know about a browser sign-in: never returned by the status API. */
export interface BrowserSecrets {
  state: string
  codeVerifier: string
  redirectUri: string
}

export interface DeviceDetails {
  deviceAuthId: string
  userCode: string
  /** Stops the background poll (service close, eviction). */
  abort: AbortController
}

/**
 * One sign-in attempt. Flows live in memory only: a restart forgets them, and the user starts a new
 * one (their PKCE verifiers must never be written anywhere).
 */
export class Flow {
  readonly id = randomUUID()
  status: FlowStatus = 'pending'
  errorMessage: string | null = null
  accountId: string | null = null
  email: string | null = null
  /** After success: whether the sign-in added a new account (false: an existing one signed in again). */
  created: boolean | null = null
  /** A callback for this flow is being exchanged; a second one (replay, paste race) is refused. */
  busy = false
  /** Settles once the flow is no longer pending (the CLI waits on it). */
  readonly done: Promise<void>
  #settle!: () => void

  constructor(
    readonly method: OAuthMethod,
    readonly createdAt: number,
    readonly expiresAt: number,
    readonly browser: BrowserSecrets | undefined,
    readonly device: DeviceDetails | undefined,
  ) {
    this.done = new Promise((resolve) => (this.#settle = resolve))
  }

  succeed(account: { id: string; email: string | null; created?: boolean }): void {
    if (this.status !== 'pending') return
    this.status = 'success'
    this.accountId = account.id
    this.email = account.email
    this.created = account.created ?? null
    this.#settle()
  }

  fail(message: string): void {
    if (this.status !== 'pending') return
    this.status = 'error'
    this.errorMessage = message
    this.device?.abort.abort()
    this.#settle()
  }
}

/** At most this many flows are kept; the oldest finished ones go first. */
export const MAX_FLOWS = 32

/** The sign-ins of this process, newest last. */
export class FlowRegistry {
  readonly #flows = new Map<string, Flow>()

  add(flow: Flow): void {
    this.#flows.set(flow.id, flow)
    while (this.#flows.size > MAX_FLOWS) this.#evictOne()
  }

  remove(id: string): void {
    this.#flows.delete(id)
  }

  get(id: string): Flow | undefined {
    return this.#flows.get(id)
  }

  byState(state: string): Flow | undefined {
    return this.all().find((f) => f.browser?.state === state)
  }

  byDevice(deviceAuthId: string | undefined, userCode: string | undefined): Flow | undefined {
    return this.all().find(
      (f) =>
        f.device !== undefined &&
        (deviceAuthId === undefined || f.device.deviceAuthId === deviceAuthId) &&
        (userCode === undefined || f.device.userCode === userCode),
    )
  }

  latest(): Flow | undefined {
    return this.all().at(-1)
  }

  all(): Flow[] {
    return [...this.#flows.values()]
  }

  pending(method: OAuthMethod): Flow[] {
    return this.all().filter((f) => f.method === method && f.status === 'pending')
  }

  #evictOne(): void {
    const flows = this.all()
    const victim = flows.find((f) => f.status !== 'pending') ?? flows[0]
    if (!victim) return
    victim.fail('Too many sign-ins were started at once; this one was dropped.')
    this.#flows.delete(victim.id)
  }
}
