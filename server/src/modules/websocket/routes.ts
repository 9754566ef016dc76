import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { WebSocketServer } from 'ws'
import { AppError } from '../../errors/index.js'
import { clientFacts, type ProxyAccessControl } from '../proxy/index.js'
import { ClientSession, type SessionDeps } from './client-session.js'
import type { WebSocketSessions } from './sessions.js'

export interface WebSocketRoutesOptions {
  /** `/v1` or `/backend-api/codex`. */
  surface: string
  access: ProxyAccessControl
  deps: SessionDeps
  sessions: WebSocketSessions
}

/**
 * `GET /responses` with an upgrade: the Responses API over WebSocket, one socket per Codex session.
 * The API-key guard runs as an onRequest hook, so a bad key is refused at the upgrade with the
 * same 401 as HTTP. A plain GET still answers 426.
 */
export async function websocketRoutes(scope: FastifyInstance, opts: WebSocketRoutesOptions) {
  const { access, deps, sessions } = opts
  scope.addHook('onRequest', access.onRequest)
  scope.route({
    method: 'GET',
    url: '/responses',
    handler: async () => {
      throw new AppError('Open a WebSocket here, or POST the request over HTTP', {
        status: 426,
        code: 'upgrade_required',
        headers: { upgrade: 'websocket' },
      })
    },
    wsHandler: (socket, request) => {
      if (sessions.draining) {
        socket.close(1012, 'server restarting')
        return
      }
      const context = {
        endpoint: `${opts.surface}/responses`,
        inbound: request.headers,
        client: clientFacts(request.ip, request.headers['user-agent']),
        access: access.accessFor(request),
        log: request.log,
      }
      sessions.add(new ClientSession(socket, context, deps, (s) => sessions.remove(s)))
    },
  })
}

/**
 * The upgrade answer carries `x-codex-turn-state` (the client's, or a new one): the CLI sends it
 * back on reconnects within a turn, which keeps a retried turn on its account.
 */
export function echoTurnState(wss: WebSocketServer): void {
  wss.on('headers', (headers: string[], request: IncomingMessage) => {
    const given = request.headers['x-codex-turn-state']
    const value = (Array.isArray(given) ? given[0] : given)?.trim()
    const state = value && /^[\x21-\x7e]{1,200}$/.test(value) ? value : undefined
    headers.push(`x-codex-turn-state: ${state ?? `turn_${randomBytes(12).toString('hex')}`}`)
  })
}
