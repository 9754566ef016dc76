export { PythonMigrationError } from './errors.js'
export {
  readOriginal,
  type OriginalData,
  type ReadOptions,
  type SourceSpec,
} from './read-original.js'
export { writePlan, type MigrationPlan, type WriteCount } from './importer.js'
export { badRowCount, formatBadRows, formatPlan, formatWritten } from './report.js'
export { plainPostgresUrl } from './postgres-source.js'
export { NEWEST_KNOWN_REVISION } from './schema-version.js'
export {
  accountIdMap,
  existingAccounts,
  mergeLines,
  resolveAccounts,
  type ExistingAccount,
} from './account-merge.js'
export { BadHistoryRow, DEFAULT_PAGE_SIZE, scanHistory } from './history-stream.js'
export { readTargetAccounts } from './target-accounts.js'
