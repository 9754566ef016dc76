import { z } from 'zod'

export const oauthMethodSchema = z.enum(['browser', 'device'])
export type OauthMethod = z.infer<typeof oauthMethodSchema>

export const oauthStartBodySchema = z.object({ forceMethod: oauthMethodSchema.nullish() })

/** POST /api/oauth/start: fields of the other method are null. */
export const oauthStartResponseSchema = z.object({
  method: oauthMethodSchema,
  authorizationUrl: z.string().nullish(),
  callbackUrl: z.string().nullish(),
  verificationUrl: z.string().nullish(),
  userCode: z.string().nullish(),
  deviceAuthId: z.string().nullish(),
  intervalSeconds: z.number().nullish(),
  expiresInSeconds: z.number().nullish(),
})
export type OauthStartResponse = z.infer<typeof oauthStartResponseSchema>

export const oauthStatusSchema = z.object({
  status: z.enum(['pending', 'success', 'error']),
  errorMessage: z.string().nullish(),
})
export type OauthStatus = z.infer<typeof oauthStatusSchema>

/**
 * POST /api/oauth/complete. `callbackUrl` (the full redirect URL pasted from the browser) lets a remote
 * server finish a browser sign-in whose localhost:1455 callback never reached it.
 */
export const oauthCompleteBodySchema = z.object({
  deviceAuthId: z.string().nullish(),
  userCode: z.string().nullish(),
  callbackUrl: z.string().nullish(),
})
export type OauthCompleteBody = z.infer<typeof oauthCompleteBodySchema>

export const oauthCompleteResponseSchema = z.object({
  status: z.enum(['pending', 'success', 'error']),
  errorMessage: z.string().nullish(),
})
export type OauthCompleteResponse = z.infer<typeof oauthCompleteResponseSchema>
