export { loadConfig, ConfigError, CONFIG_ENV_NAMES, type Config } from './config.js'
export { readEnvFile } from './env-file.js'
