import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { auditClient } from '../audit/index.js'
import type { CredentialsExporter } from './credentials-export.js'
import { authJsonExportBodySchema } from './history-schemas.js'

export interface AuthJsonExportRoutesOptions {
  exporter: CredentialsExporter
}

type IdParams = { Params: { id: string } }

/**
 * POST /api/accounts/:id/auth-json with `{password, totpCode?}`: the account's tokens as a Codex
 * `auth.json` download. The body is sent as is and never logged; no cache may keep it.
 */
export const authJsonExportRoutes: FastifyPluginAsync<AuthJsonExportRoutesOptions> = async (
  app,
  opts,
) => {
  app.post<IdParams>('/accounts/:id/auth-json', async (request, reply) => {
    const input = parseRequest(authJsonExportBodySchema, request.body ?? {})
    const { filename, file } = await opts.exporter.export(
      request.params.id,
      input,
      auditClient(request),
    )
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(file, null, 2)}\n`)
  })
}
