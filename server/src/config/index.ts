export { loadConfig, ConfigError, type Config } from './config.js'
export { readEnvFile } from './env-file.js'
