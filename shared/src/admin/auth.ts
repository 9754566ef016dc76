import { z } from 'zod'

/** GET /api/dashboard-auth/session and the login/verify/setup answers. */
export const sessionStateSchema = z.object({
  authenticated: z.boolean(),
  passwordRequired: z.boolean(),
  totpRequiredOnLogin: z.boolean(),
  totpConfigured: z.boolean(),
  /** What is open to other machines (a public bind address without a password or API keys). */
  exposure: z.array(z.string()).optional(),
})
export type SessionState = z.infer<typeof sessionStateSchema>

export const passwordBodySchema = z.object({ password: z.string() })
export const passwordChangeBodySchema = z.object({
  currentPassword: z.string(),
  newPassword: z.string(),
})
export const totpCodeBodySchema = z.object({ code: z.string() })

/** POST /api/dashboard-auth/totp/setup/start: nothing is stored until confirm round-trips the secret. */
export const totpSetupStartSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvgDataUri: z.string(),
})
export type TotpSetupStart = z.infer<typeof totpSetupStartSchema>

export const totpSetupConfirmBodySchema = z.object({ secret: z.string(), code: z.string() })
