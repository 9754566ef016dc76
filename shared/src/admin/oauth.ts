import { z } from 'zod'

export const oauthMethodSchema = z.enum(['browser', 'device'])
export type OauthMethod = z.infer<typeof oauthMethodSchema>

export const oauthStartBodySchema = z.object({ forceMethod: oauthMethodSchema.nullish() })

/** POST /api/oauth/start: fields of the other method are null. */
export const oauthStartResponseSchema = z.object({
  method: oauthMethodSchema,
  /** Identifies this sign-in when several run at once; pass it to status and complete. */
  flowId: z.string().nullish(),
  state: z.string().nullish(),
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
  flowId: z.string().nullish(),
  method: oauthMethodSchema.nullish(),
  status: z.enum(['pending', 'success', 'error']),
  errorMessage: z.string().nullish(),
  accountId: z.string().nullish(),
  email: z.string().nullish(),
})
export type OauthStatus = z.infer<typeof oauthStatusSchema>

/**
 * POST /api/oauth/complete. `callbackUrl` (the full redirect URL pasted from the browser) lets a remote
 * server finish a browser sign-in whose localhost:1455 callback never reached it.
 */
export const oauthCompleteBodySchema = z.object({
  flowId: z.string().nullish(),
  deviceAuthId: z.string().nullish(),
  userCode: z.string().nullish(),
  callbackUrl: z.string().nullish(),
})
export type OauthCompleteBody = z.infer<typeof oauthCompleteBodySchema>

export const oauthCompleteResponseSchema = oauthStatusSchema
export type OauthCompleteResponse = z.infer<typeof oauthCompleteResponseSchema>
