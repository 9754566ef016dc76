import type {
  OauthCompleteResponse as ContractCompleteResponse,
  OauthStartResponse as ContractStartResponse,
  OauthStatus as ContractStatus,
} from '@codex-lb/shared'
import { z } from 'zod'

/*
 * Wire shapes of /api/oauth (camelCase out, camelCase or snake_case in; unused fields are explicit
 * nulls, original-admin §0.1, §1.8). `flowId` is our addition: several sign-ins may run at once.
 */

const method = z.enum(['browser', 'device'])
const status = z.enum(['pending', 'success', 'error'])
const id = z.string().trim().min(1).max(512)

export const startBodySchema = z.object({ forceMethod: method.nullish() })

export const statusQuerySchema = z.object({ flowId: id.optional(), state: id.optional() })
export type StatusQuery = z.infer<typeof statusQuerySchema>

export const completeBodySchema = z.object({
  flowId: id.nullish(),
  /** The whole URL the browser was redirected to (remote servers: localhost never answered). */
  callbackUrl: z.string().trim().min(1).max(16_384).nullish(),
  deviceAuthId: id.nullish(),
  userCode: id.nullish(),
})
export type CompleteBody = z.infer<typeof completeBodySchema>

export const oauthStartResponseSchema = z.object({
  method,
  flowId: z.string(),
  /** The browser flow's `state` (also in authorizationUrl); null for the device flow. */
  state: z.string().nullable(),
  authorizationUrl: z.string().nullable(),
  callbackUrl: z.string().nullable(),
  verificationUrl: z.string().nullable(),
  userCode: z.string().nullable(),
  deviceAuthId: z.string().nullable(),
  intervalSeconds: z.number().nullable(),
  expiresInSeconds: z.number().nullable(),
})
export type OAuthStartResponse = z.infer<typeof oauthStartResponseSchema>

/** GET /status and POST /complete. Never carries tokens, codes or verifiers. */
export const oauthFlowStatusSchema = z.object({
  /** Null when no sign-in was started since the server started (status is then `pending`). */
  flowId: z.string().nullable(),
  method: method.nullable(),
  status,
  errorMessage: z.string().nullable(),
  accountId: z.string().nullable(),
  email: z.string().nullable(),
})
export type OAuthFlowStatus = z.infer<typeof oauthFlowStatusSchema>

/** Fails to compile when a server shape stops satisfying the shared admin contract the SPA parses. */
type Satisfies<T extends U, U> = T
export type ContractChecks = [
  Satisfies<OAuthStartResponse, ContractStartResponse>,
  Satisfies<OAuthFlowStatus, ContractStatus>,
  Satisfies<OAuthFlowStatus, ContractCompleteResponse>,
]
