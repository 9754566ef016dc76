import type { AccountEgressProxy } from '@codex-lb/shared'
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { parseRequest } from '../../errors/index.js'
import { egressProxyProblem, maskEgressProxy } from '../../upstream/egress-proxy.js'
import { audited, type AuditLog } from '../audit/index.js'
import type { AccountsService } from './service.js'

export interface AccountEgressRoutesOptions {
  service: AccountsService
  audit: AuditLog
}

/** `{ url }`: an http://, https:// or socks5:// proxy with host and port; null or '' clears it. */
export const egressProxyUpdateSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2048)
    .nullable()
    .superRefine((value, ctx) => {
      const problem = value ? egressProxyProblem(value) : null
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .transform((value) => value || null),
})

type IdParams = { Params: { id: string } }

/**
 * PUT /api/accounts/:id/egress-proxy: the proxy this account's upstream, token refresh and usage
 * calls leave through. Stored encrypted; answered and audited with any password masked.
 */
export const accountEgressRoutes: FastifyPluginAsync<AccountEgressRoutesOptions> = async (
  app,
  { service, audit },
) => {
  for (const path of ['/accounts/:id/egress-proxy', '/accounts/:id/egress-proxy/']) {
    app.put<IdParams>(path, async (request): Promise<AccountEgressProxy> => {
      const { url } = parseRequest(egressProxyUpdateSchema, request.body ?? {})
      const id = request.params.id
      const before = await service.egressProxyOf(id)
      const after = url && maskEgressProxy(url)
      const entry = { action: 'account.updated', target: { type: 'account', id } } as const
      await audited(
        audit,
        request,
        entry,
        () => service.setEgressProxy(id, url),
        (account) => ({
          details: { email: account.email, egressProxy: { from: before, to: after } },
        }),
      )
      return { accountId: id, egressProxy: after }
    })
  }
}
