export { websocketRoutes, echoTurnState, type WebSocketRoutesOptions } from './routes.js'
export { WebSocketSessions } from './sessions.js'
export type { SessionDeps } from './client-session.js'
export { UpstreamLink } from './upstream-link.js'
