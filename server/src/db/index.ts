export { openDatabase, DatabaseOpenError, redactUrl, type DatabaseHandle } from './open.js'
export { migrateToLatest, MigrationError, type MigrateResult } from './migrate.js'
export { dialectOf, type DialectName } from './dialect.js'
export type * from './schema.js'
