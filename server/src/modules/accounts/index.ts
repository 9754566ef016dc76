export { AccountsService, createAccountsService } from './service.js'
export type { AccountsServiceDeps, EnsureFreshOptions } from './service.js'
export { accountsRoutes, type AccountsRoutesOptions } from './routes.js'
export { AccountHistory, createAccountHistory } from './history.js'
export { accountHistoryRoutes } from './history-routes.js'
export {
  CredentialsExporter,
  EXPORT_ATTEMPTS,
  EXPORT_WINDOW_MS,
  createCredentialsExporter,
} from './credentials-export.js'
export { authJsonExportRoutes } from './export-routes.js'
export { accountEgressRoutes } from './egress-routes.js'
export { accountHistoryResponseSchema } from './history-schemas.js'
export {
  AccountNotFoundError,
  ApiKeyOnlyAuthJsonError,
  InvalidAuthJsonError,
  TokenRefreshError,
} from './errors.js'
export { toAccountUpdate } from './model.js'
export { readExpiry } from './jwt-claims.js'
export type {
  Account,
  AccountCredential,
  AccountStatePatch,
  AccountStatus,
  ImportResult,
  TokenSetInput,
} from './model.js'
export type { AccountsLogger, RefreshSweepResult } from './refresher.js'
export { extractRefreshError } from './token-refresh.js'
export type { UsageCheckOutcome, UsageChecker } from './check.js'
export {
  accountSummarySchema,
  accountsListResponseSchema,
  accountTrendsResponseSchema,
  importAccountResponseSchema,
  accountActionResponseSchema,
  accountCheckResponseSchema,
  accountRefreshResponseSchema,
  accountUpdateResponseSchema,
  type AccountSummary,
} from './schemas.js'
