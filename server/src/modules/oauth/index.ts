export { OAuthService, createOAuthService, type OAuthServiceDeps } from './service.js'
export { oauthRoutes, type OAuthRoutesOptions } from './routes.js'
export type { OAuthLogger } from './flow-outcomes.js'
export type { DevicePolling, DevicePollTiming, Sleep } from './device-flow.js'
export type { OAuthMethod } from './flows.js'
export {
  CallbackPortUnavailableError,
  OAuthCallbackError,
  OAuthFlowError,
  OAuthFlowNotFoundError,
  OAuthUpstreamError,
} from './errors.js'
export {
  oauthFlowStatusSchema,
  oauthStartResponseSchema,
  type OAuthFlowStatus,
  type OAuthStartResponse,
} from './schemas.js'
