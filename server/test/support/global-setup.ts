import { postgresAvailability } from './dialects.js'

// Says once per run whether the PostgreSQL half of the dialect matrix runs.
export default async function setup(): Promise<void> {
  const pg = await postgresAvailability()
  if (!pg.available) console.log(`[codex-lb tests] PostgreSQL tests skipped: ${pg.reason}`)
  else console.log(`[codex-lb tests] PostgreSQL tests run against ${pg.display}`)
}
