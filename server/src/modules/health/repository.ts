import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/index.js'

/** The two reads readiness needs; both are cheap and touch no table of ours. */
export class HealthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db)
  }

  /** Names recorded by the migrator (its table is on the search path, see db/migrate.ts). */
  async appliedMigrations(): Promise<string[]> {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(this.db)
    return rows.rows.map((r) => r.name)
  }
}
