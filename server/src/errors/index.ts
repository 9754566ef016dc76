export * from './errors.js'
export { toAppError } from './normalize.js'
export { openAiEnvelope, type OpenAiErrorBody } from './envelopes/openai.js'
export { dashboardEnvelope, type DashboardErrorBody } from './envelopes/dashboard.js'
