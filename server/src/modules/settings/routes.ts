import type { FastifyPluginAsync } from 'fastify'
import { parseRequest } from '../../errors/index.js'
import { camelizeKeys } from '../../lib/casing.js'
import { audited, changedFields, type AuditLog } from '../audit/index.js'
import { settingsUpdateSchema, toSettingsResponse } from './schemas.js'
import type { SettingsService } from './service.js'

/** `/api/settings` (and `/api/settings/`); registered behind the dashboard session guard. */
export function settingsRoutes(settings: SettingsService, audit: AuditLog): FastifyPluginAsync {
  return async (scope) => {
    scope.get('/', async () => toSettingsResponse(await settings.read()))
    scope.put('/', async (request) => {
      const before = toSettingsResponse(await settings.read())
      return audited(
        audit,
        request,
        { action: 'settings.updated' },
        async () => {
          const update = parseRequest(settingsUpdateSchema, camelizeKeys(request.body))
          return toSettingsResponse(await settings.update(update))
        },
        (after) => ({ details: changedFields(before, after) }),
      )
    })
  }
}
