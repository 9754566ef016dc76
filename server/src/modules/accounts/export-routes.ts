import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import type { CredentialsExporter, ExportClient } from './credentials-export.js'
import { authJsonExportBodySchema } from './history-schemas.js'

export interface AuthJsonExportRoutesOptions {
  exporter: CredentialsExporter
}

type IdParams = { Params: { id: string } }

const USER_AGENT_MAX_CHARS = 512

function clientOf(request: FastifyRequest): ExportClient {
  const header = request.headers['user-agent']
  const userAgent = Array.isArray(header) ? header[0] : header
  // request.ip already honours CODEX_LB_TRUSTED_PROXIES.
  return { ip: request.ip || null, userAgent: userAgent?.slice(0, USER_AGENT_MAX_CHARS) ?? null }
}

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
      clientOf(request),
    )
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(file, null, 2)}\n`)
  })
}
