export { ApiKeysManager } from './components/api-keys-manager'
export { apiKeysQuery, apiKeyKeys, modelsQuery } from './queries'
