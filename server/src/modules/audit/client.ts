import type { FastifyRequest } from 'fastify'
import type { AuditClient } from './audit-log.js'

const USER_AGENT_MAX_CHARS = 512

/** The client of a dashboard request; `request.ip` already honours CODEX_LB_TRUSTED_PROXIES. */
export function auditClient(request: FastifyRequest): AuditClient {
  const header = request.headers['user-agent']
  const userAgent = Array.isArray(header) ? header[0] : header
  return {
    ip: request.ip || null,
    userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX_CHARS) : null,
  }
}
