import { HOTP, Secret } from 'otpauth'
import { expect } from 'vitest'
import type { DashboardClient, ManualClock } from './dashboard-client.js'

export const TOTP_STEP_MS = 30_000
/** The start of a 30 s TOTP step, plus one second: codes stay valid while a test runs. */
export const TOTP_START = 1_800_000_000_000 + 1000

/** The code an authenticator app shows at `nowMs`. */
export function totpCodeAt(secret: string, nowMs: number): string {
  return HOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    counter: Math.floor(nowMs / TOTP_STEP_MS),
  })
}

/**
 * Sets `password` up and confirms a TOTP secret through the API, as the dashboard does. `api` is
 * left with a password-only session; the confirm code's step is used up. Returns the secret.
 */
export async function configureTotp(
  api: DashboardClient,
  clock: ManualClock,
  password: string,
): Promise<string> {
  expect((await api.post('/api/dashboard-auth/password/setup', { password })).status).toBe(200)
  const start = await api.post('/api/dashboard-auth/totp/setup/start')
  const secret: string = start.body.secret
  const confirm = await api.post('/api/dashboard-auth/totp/setup/confirm', {
    secret,
    code: totpCodeAt(secret, clock.now()),
  })
  expect(confirm.status).toBe(200)
  return secret
}
