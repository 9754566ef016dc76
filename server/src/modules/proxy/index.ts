export {
  ProxyService,
  type ProxyServiceDeps,
  type CredentialProvider,
  type StreamCall,
} from './proxy-service.js'
export { proxyRoutes, type ProxyRoutesOptions } from './routes.js'
export {
  redactKey,
  type OverflowDirectory,
  type OverflowMode,
  type OverflowTarget,
} from './overflow-route.js'
export { type ProxyAccessControl, type RequestAccess, type UsageTicket } from './access.js'
export { parseResponsesRequest, type ResponsesRequest } from './responses-request.js'
export { ClientClosedError } from './proxy-errors.js'
export { accessGates } from './gates.js'
export { clientFacts, type RequestFacts } from './attempt-recorder.js'
export { relayStream } from './stream-relay.js'
export { settleTicket } from './settle.js'
