import { setTimeout as delay } from 'node:timers/promises'
import type { Clock } from '../../lib/clock.js'
import {
  exchangeCode,
  pollDeviceToken,
  type AuthClientOptions,
  type DeviceCode,
  type OAuthTokens,
} from './auth-client.js'
import { OAuthFlowError } from './errors.js'

/** Waits `ms`, rejecting with an AbortError when `signal` fires. Injected so tests need not wait. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, { signal })
}

export interface DevicePollTiming {
  /**
   * Used when the server sends no interval or 0. The original then polled in a tight loop until
   * expiry (original-proxy §12 item 9); RFC 8628 §3.2 says 5 s.
   */
  defaultIntervalMs: number
  /** Added to the interval on every `slow_down` (RFC 8628 §3.5). */
  slowDownStepMs: number
}

/** How device polls wait: tests resolve `sleep` at once and move their clock instead. */
export interface DevicePolling {
  sleep?: Sleep
  timing?: Partial<DevicePollTiming>
}

export const DEFAULT_DEVICE_POLL_TIMING: DevicePollTiming = {
  defaultIntervalMs: 5_000,
  slowDownStepMs: 5_000,
}

export interface DevicePollDeps {
  client: AuthClientOptions
  clock: Clock
  sleep: Sleep
  timing: DevicePollTiming
}

export interface DeviceSession extends DeviceCode {
  /** Epoch ms after which the code is dead. */
  expiresAt: number
}

export function expiredError(): OAuthFlowError {
  return new OAuthFlowError('Device code expired.', 'device_code_expired')
}

/** The first wait, in ms: the server's interval, or the default when it gave none. */
export function initialIntervalMs(session: DeviceCode, timing: DevicePollTiming): number {
  return session.intervalSeconds > 0 ? session.intervalSeconds * 1000 : timing.defaultIntervalMs
}

/**
 * Polls the device token endpoint until the user approves, then returns the tokens (exchanging
 * the returned authorization code first when that is what the server sends). Throws
 * OAuthFlowError on expiry, OAuthUpstreamError when the server refuses, or the abort reason.
 */
export async function pollForDeviceTokens(
  deps: DevicePollDeps,
  session: DeviceSession,
  signal: AbortSignal,
): Promise<OAuthTokens> {
  let interval = initialIntervalMs(session, deps.timing)
  for (;;) {
    await deps.sleep(interval, signal)
    if (deps.clock.now() >= session.expiresAt) throw expiredError()
    const poll = await pollDeviceToken(deps.client, session, signal)
    switch (poll.kind) {
      case 'pending':
        continue
      case 'slow_down':
        interval += deps.timing.slowDownStepMs
        continue
      case 'expired':
        throw expiredError()
      case 'error':
        throw poll.error
      case 'tokens':
        return poll.tokens
      case 'code':
        // The device flow's code is bound to this fixed redirect, not to our callback (§3.3).
        return exchangeCode(
          deps.client,
          {
            code: poll.code,
            codeVerifier: poll.codeVerifier,
            redirectUri: `${deps.client.authBaseUrl}/deviceauth/callback`,
          },
          signal,
        )
    }
  }
}
