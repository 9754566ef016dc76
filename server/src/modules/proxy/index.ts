export { ProxyService, type ProxyServiceDeps, type CredentialProvider } from './proxy-service.js'
export { proxyRoutes, type ProxyRoutesOptions } from './routes.js'
export { type ProxyAccessControl, type RequestAccess, type UsageTicket } from './access.js'
export { parseResponsesRequest, type ResponsesRequest } from './responses-request.js'
