import type { Kysely } from 'kysely'
import { hasColumn } from './columns.js'

// Migrations take Kysely<any> and never import app types: they describe the schema as it was then.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Routing strategies: the strategy chosen in the dashboard (null = CODEX_LB_ROUTING_STRATEGY) and
 * each account's place in the `fill_first` order (null = after the ordered ones, oldest first).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Idempotent: a re-run over an up-to-date schema is harmless.
  if (!(await hasColumn(db, 'dashboard_settings', 'routing_strategy'))) {
    await db.schema.alterTable('dashboard_settings').addColumn('routing_strategy', 'text').execute()
  }
  if (!(await hasColumn(db, 'accounts', 'route_order'))) {
    await db.schema.alterTable('accounts').addColumn('route_order', 'integer').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('route_order').execute()
  await db.schema.alterTable('dashboard_settings').dropColumn('routing_strategy').execute()
}
