import type { Kysely } from 'kysely'
import type { Config } from '../../config/index.js'
import type { TokenCipher } from '../../crypto/index.js'
import type { Database } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { UpstreamClient } from '../../upstream/client.js'
import { probeOverflowUpstream } from './probe.js'
import { OverflowRepository } from './repository.js'
import { OverflowService } from './service.js'

export { OverflowService, ENV_UPSTREAM_ID } from './service.js'
export { overflowRoutes } from './routes.js'
export type { OverflowUpstream, OverflowModelRoute, OverflowPrices } from './model.js'

export function createOverflowService(deps: {
  db: Kysely<Database>
  cipher: TokenCipher
  clock: Clock
  config: Config['overflow']
  upstream: UpstreamClient
  onChanged?: () => void
}): OverflowService {
  return new OverflowService({
    repository: new OverflowRepository(deps.db),
    cipher: deps.cipher,
    clock: deps.clock,
    envUpstream: deps.config.upstream,
    probe: (baseUrl, apiKey) => probeOverflowUpstream(deps.upstream, baseUrl, apiKey),
    ...(deps.onChanged ? { onChanged: deps.onChanged } : {}),
  })
}
