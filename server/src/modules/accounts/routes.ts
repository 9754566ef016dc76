import multipart from '@fastify/multipart'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { AppError, PayloadTooLargeError, parseRequest } from '../../errors/index.js'
import type { AuditAction } from '@codex-lb/shared'
import { audited, type AuditLog } from '../audit/index.js'
import {
  answeredEntry,
  auditAccountAction,
  auditAccountEdit,
  importedEntry,
} from './audit-entries.js'
import type { Account } from './model.js'
import type { UsageChecker } from './check.js'
import { accountEgressRoutes } from './egress-routes.js'
import { InvalidAuthJsonError } from './errors.js'
import type { AccountsService } from './service.js'
import { toImportResponse } from './summary.js'
import { accountConcurrencyUpdateSchema, type AccountConcurrencyResponse } from './schemas.js'
import { accountHeadroomUpdateSchema, type AccountHeadroomResponse } from './schemas.js'
import { accountUpdateSchema, type AccountUpdateResponse } from './schemas.js'
import type {
  AccountActionResponse,
  AccountCheckResponse,
  AccountRefreshResponse,
  AccountTrendsResponse,
  AccountsListResponse,
  ImportAccountResponse,
} from './schemas.js'

export interface AccountsRoutesOptions {
  service: AccountsService
  /** Check now: the usage module's fetch of one account's usage. */
  checkUsage: UsageChecker
  /** Records each change (and check) of an account. */
  audit: AuditLog
  /** Largest accepted auth.json upload; real ones are a few KiB. */
  maxAuthJsonBytes?: number
}

const AUTH_JSON_FIELD = 'auth_json'
const DEFAULT_MAX_AUTH_JSON_BYTES = 256 * 1024

type IdParams = { Params: { id: string } }

/** Both spellings of a path: the SPA of the original used trailing slashes on collections. */
const withSlash = (path: string): string[] => [path, `${path}/`]

/**
 * Reads the `auth_json` part (a file, or a plain text field for curl users), draining the rest;
 * anything else is an invalid upload rather than a 500.
 */
async function readAuthJsonUpload(request: FastifyRequest, maxBytes: number): Promise<string> {
  if (!request.isMultipart()) {
    throw new InvalidAuthJsonError(
      `expected a multipart/form-data upload with the file field ${AUTH_JSON_FIELD}`,
    )
  }
  let text: string | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer()
        if (part.fieldname === AUTH_JSON_FIELD) text ??= data.toString('utf8')
      } else if (part.fieldname === AUTH_JSON_FIELD) {
        if (part.valueTruncated)
          throw new PayloadTooLargeError(`auth.json exceeds ${maxBytes} bytes`)
        text ??= String(part.value)
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    if ((err as { statusCode?: number }).statusCode === 413) {
      throw new PayloadTooLargeError(`auth.json exceeds ${maxBytes} bytes`)
    }
    throw new InvalidAuthJsonError('the multipart upload could not be read')
  }
  if (text === undefined)
    throw new InvalidAuthJsonError(`the upload has no ${AUTH_JSON_FIELD} file`)
  return text
}

/** /api/accounts: registered inside the dashboard scope, whose error handler shapes failures. */
export const accountsRoutes: FastifyPluginAsync<AccountsRoutesOptions> = async (app, opts) => {
  const { service, audit } = opts
  // Each change of an account (and each check) is recorded with its outcome: audit-entries.ts.
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const action = <T>(request: FastifyRequest, name: AuditAction, work: () => Promise<T>) =>
    auditAccountAction(audit, service, request, name, idOf(request), work, answeredEntry)
  const edit = (request: FastifyRequest, work: () => Promise<Account>) =>
    auditAccountEdit(audit, service, request, idOf(request), work)
  const maxBytes = opts.maxAuthJsonBytes ?? DEFAULT_MAX_AUTH_JSON_BYTES
  // Registered here, not app-wide, so multipart parsing exists only where an upload is expected.
  await app.register(multipart, {
    limits: { fileSize: maxBytes, fieldSize: maxBytes, files: 1, fields: 8, parts: 10 },
  })
  await app.register(accountEgressRoutes, { service, audit })

  for (const url of withSlash('/accounts')) {
    app.get(url, async (): Promise<AccountsListResponse> => ({
      accounts: await service.listSummaries(),
    }))
  }

  for (const url of withSlash('/accounts/import')) {
    app.post(url, async (request): Promise<ImportAccountResponse> => {
      const entry = { action: 'account.added', details: { method: 'auth_json' } } as const
      const imported = await audited(
        audit,
        request,
        entry,
        async () => service.importAuthJson(await readAuthJsonUpload(request, maxBytes)),
        (result) => importedEntry(result, 'auth_json'),
      )
      return toImportResponse(imported.account)
    })
  }

  for (const url of withSlash('/accounts/:id/trends')) {
    app.get<IdParams>(url, async (request): Promise<AccountTrendsResponse> =>
      service.trends(request.params.id),
    )
  }

  for (const url of withSlash('/accounts/:id/pause')) {
    app.post<IdParams>(url, async (request): Promise<AccountActionResponse> => {
      await action(request, 'account.paused', () => service.pause(request.params.id))
      return { status: 'paused' }
    })
  }

  for (const url of withSlash('/accounts/:id/reactivate')) {
    app.post<IdParams>(url, async (request): Promise<AccountActionResponse> => {
      await action(request, 'account.reactivated', () => service.reactivate(request.params.id))
      return { status: 'reactivated' }
    })
  }

  // Account care: answers 200 with what was found, an upstream failure included (`error`).
  for (const url of withSlash('/accounts/:id/check')) {
    app.post<IdParams>(url, async (request): Promise<AccountCheckResponse> =>
      action(request, 'account.checked', () =>
        service.checkNow(request.params.id, opts.checkUsage),
      ),
    )
  }

  for (const url of withSlash('/accounts/:id/refresh')) {
    app.post<IdParams>(url, async (request): Promise<AccountRefreshResponse> =>
      action(request, 'account.token_refreshed', () => service.refreshNow(request.params.id)),
    )
  }

  for (const url of withSlash('/accounts/:id/headroom')) {
    app.put<IdParams>(url, async (request): Promise<AccountHeadroomResponse> => {
      const update = parseRequest(accountHeadroomUpdateSchema, request.body ?? {})
      const account = await edit(request, () => service.setHeadroom(request.params.id, update))
      return {
        accountId: account.id,
        headroom: {
          primaryPercent: account.headroomPrimaryPercent,
          secondaryPercent: account.headroomSecondaryPercent,
        },
      }
    })
  }

  for (const url of withSlash('/accounts/:id/concurrency')) {
    app.put<IdParams>(url, async (request): Promise<AccountConcurrencyResponse> => {
      const { maxStreams } = parseRequest(accountConcurrencyUpdateSchema, request.body ?? {})
      const account = await edit(request, () =>
        service.setMaxStreams(request.params.id, maxStreams),
      )
      return { accountId: account.id, maxStreams: account.maxStreams }
    })
  }

  for (const url of withSlash('/accounts/:id')) {
    app.patch<IdParams>(url, async (request): Promise<AccountUpdateResponse> => {
      const changes = parseRequest(accountUpdateSchema, request.body ?? {})
      const account = await edit(request, () => service.edit(request.params.id, changes))
      return { accountId: account.id, routeOrder: account.routeOrder, alias: account.alias }
    })
    app.delete<IdParams>(url, async (request): Promise<AccountActionResponse> => {
      await action(request, 'account.removed', () => service.delete(request.params.id))
      return { status: 'deleted' }
    })
  }
}
