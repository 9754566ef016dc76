import { ManualClock, startDialectApp } from './dashboard-client.js'
import type { dialects } from './dialects.js'

type Dialect = Awaited<ReturnType<typeof dialects>>[number]

/** An app on `dialect` whose clock the test moves by hand from `start`, with its API-key services. */
export async function startKeysApp(dialect: Dialect, start: number) {
  const clock = new ManualClock(start)
  const t = await startDialectApp(dialect, { clock })
  return { t, clock, keys: t.app.services.apiKeys }
}
