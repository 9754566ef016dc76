/**
 * Fake ChatGPT backend + auth server for tests: a real node:http server on 127.0.0.1:0 (STYLE.md 14).
 * Point CODEX_LB_UPSTREAM_BASE_URL at `fake.backendBaseUrl` and CODEX_LB_AUTH_BASE_URL at
 * `fake.authBaseUrl`. The same server takes WebSocket upgrades of `/backend-api/codex/responses`
 * (`fake.ws`; `fake.wsUrl` is the socket URL).
 */
export { FakeUpstream, startFakeUpstream } from './fake-upstream/server.js'
export { rateLimited, usageLimitReached } from './fake-upstream/behaviours.js'
export { defaultModels } from './fake-upstream/catalog.js'
export { DEFAULT_MODEL, DEFAULT_TEXT, DEFAULT_USAGE } from './fake-upstream/sse-events.js'
export type * from './fake-upstream/types.js'
export type * from './fake-upstream/ws-types.js'
export type { WsFake } from './fake-upstream/ws-server.js'
export {
  connectionLimitReached,
  previousResponseNotFound,
  rateLimitsEvent,
} from './fake-upstream/ws-frames.js'
export { readSse, type SseReadResult } from './fake-upstream/read-sse.js'
