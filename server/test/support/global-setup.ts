import { randomBytes } from 'node:crypto'
import { dropTestSchemas, postgresAvailability } from './dialects.js'

// Says once per run whether the PostgreSQL half of the dialect matrix runs, and cleans up the
// per-test schemas afterwards (workers inherit CODEX_LB_TEST_RUN and put it in the schema names).
export default async function setup(): Promise<(() => Promise<void>) | void> {
  const pg = await postgresAvailability()
  if (!pg.available) {
    console.log(`[codex-lb tests] PostgreSQL tests skipped: ${pg.reason}`)
    return
  }
  console.log(`[codex-lb tests] PostgreSQL tests run against ${pg.display}`)
  const run = randomBytes(4).toString('hex')
  process.env['CODEX_LB_TEST_RUN'] = run
  await dropTestSchemas()
  return async () => {
    await dropTestSchemas(run)
  }
}
