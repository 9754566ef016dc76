import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../config/index.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamClient } from '../../upstream/client.js'
import type { UpstreamFailure } from '../../upstream/failure.js'
import type { UpstreamCredential } from '../../upstream/headers.js'
import type {
  AccountGate,
  AccountPool,
  InFlight,
  RoutingStrategy,
  SharedSlots,
} from '../balancer/index.js'
import type { Continuation } from '../conversations/index.js'
import type { AttemptRecorder, LogSink, RequestFacts } from './attempt-recorder.js'
import type { OverflowDirectory, OverflowMode } from './overflow-route.js'
import type { ResponsesRequest } from './responses-request.js'

// The proxy service's contracts: what it needs from other modules, and what a call carries.

export interface CredentialProvider {
  /** A usable access token for the account; `force` refreshes even when it looks fresh. */
  ensureFresh(accountId: string, options?: { force?: boolean }): Promise<UpstreamCredential>
}

export interface RoutingSettings {
  get(): Promise<{
    stickyThreadsEnabled: boolean
    preferEarlierResetAccounts: boolean
    stickyTtlSeconds: number
    /** The global per-account stream cap, and the longest wait for a free slot. */
    accountMaxStreams: number
    accountQueueWaitSeconds: number
    /** Global usage ceilings (percent used; 100 = none); accounts may override them. */
    headroomPrimaryPercent: number
    headroomSecondaryPercent: number
    /** How to choose among usable accounts; most_remaining when absent. */
    routingStrategy?: RoutingStrategy
    /** When requests go to an overflow upstream; off when absent. */
    overflowMode?: OverflowMode
  }>
}

/** Which plans can use a model (the upstream's `available_in_plans`); null: every plan. */
export interface ModelPlans {
  plansFor(model: string): readonly string[] | null
}

/** Learns an account's usage from its traffic (the usage module); never blocks, never throws. */
export interface LiveUsage {
  recordHeaders(accountId: string, headers: Record<string, string | string[] | undefined>): unknown
  recordRateLimits(accountId: string, event: Record<string, unknown>): unknown
}

export interface ProxyServiceDeps {
  pool: AccountPool
  /** Upstream streams in flight per account (the caps), and the queue for a free slot. */
  inFlight: InFlight
  liveUsage?: LiveUsage
  models: ModelPlans
  credentials: CredentialProvider
  settings: RoutingSettings
  upstream: UpstreamClient
  logs: LogSink
  clock: Clock
  config: Config['upstream']
  log: FastifyBaseLogger
  /** Overflow upstreams (an OpenAI-compatible API) for when the accounts cannot serve. */
  overflow?: OverflowDirectory
  /** The per-account caps across replicas on one PostgreSQL (absent: this process only). */
  sharedSlots?: SharedSlots | undefined
  /** Told when a request moves to another account after a failed attempt (metrics). */
  onFailover?: (failure: UpstreamFailure) => void
}

export interface StreamCall {
  request: ResponsesRequest
  facts: RequestFacts
  inbound: IncomingHttpHeaders
  /** Aborted when the client disconnects. */
  signal: AbortSignal
  /** A rebuilt follow-up turn: where its history came from, and what other accounts may see. */
  continuation?: Continuation
  /** Request-specific account checks (key policy, model, caps, ceilings) on top of account state. */
  gates?: readonly AccountGate[]
}

export type Attempted<T> =
  { kind: 'opened'; value: T } | { kind: 'failed'; failure: UpstreamFailure }

/** One attempt on one account with a fresh credential; the recorder is finished by the caller. */
export type AttemptFn<T> = (
  credential: UpstreamCredential,
  attempt: AttemptRecorder,
) => Promise<Attempted<T>>
