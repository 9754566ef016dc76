import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import type { AccountHistory } from './history.js'
import { accountHistoryQuerySchema, type AccountHistoryResponse } from './history-schemas.js'

export interface AccountHistoryRoutesOptions {
  history: AccountHistory
}

type IdParams = { Params: { id: string } }

/** GET /api/accounts/:id/history?range=24h|7d|30d: the account page (inside the dashboard scope). */
export const accountHistoryRoutes: FastifyPluginAsync<AccountHistoryRoutesOptions> = async (
  app,
  opts,
) => {
  app.get<IdParams>('/accounts/:id/history', async (request): Promise<AccountHistoryResponse> => {
    const { range } = parseRequest(accountHistoryQuerySchema, request.query ?? {})
    return opts.history.read(request.params.id, range)
  })
}
