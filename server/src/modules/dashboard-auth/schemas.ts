import { z } from 'zod'

// Generous caps: they only stop absurd bodies; the real rules (length, 72 bytes) are in password.ts.
const password = z.string().max(1024)
const code = z.string().max(64)

export const passwordBodySchema = z.object({ password })
export const passwordChangeBodySchema = z.object({
  currentPassword: password,
  newPassword: password,
})
export const totpConfirmBodySchema = z.object({ secret: z.string().max(256), code })
export const totpCodeBodySchema = z.object({ code })

export const statusOk = { status: 'ok' } as const
