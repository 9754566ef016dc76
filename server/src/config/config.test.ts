import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('works with no environment at all', () => {
    const c = loadConfig({})
    expect(c.host).toBe('127.0.0.1')
    expect(c.port).toBe(2455)
    expect(c.dataDir).toBe(join(homedir(), '.codex-lb'))
    expect(c.database).toEqual({ kind: 'sqlite', path: join(homedir(), '.codex-lb', 'store.db') })
    expect(c.encryptionKeyFile).toBe(join(homedir(), '.codex-lb', 'encryption.key'))
    expect(c.upstream.baseUrl).toBe('https://chatgpt.com/backend-api')
    expect(c.oauth).toMatchObject({
      authBaseUrl: 'https://auth.openai.com',
      callbackHost: '127.0.0.1',
      callbackPort: 1455,
    })
    expect(c.usage.refreshIntervalMs).toBe(60_000)
    expect(c.logFormat).toBe('auto')
    expect(c.shutdownDrainMs).toBe(30_000)
  })

  it('trusts no proxy by default; CODEX_LB_TRUSTED_PROXIES takes true, a hop count or a list', () => {
    expect(loadConfig({}).trustedProxies).toBe(false)
    const trusted = (v: string) => loadConfig({ CODEX_LB_TRUSTED_PROXIES: v }).trustedProxies
    expect(trusted('true')).toBe(true)
    expect(trusted('2')).toBe(2)
    expect(trusted('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8'])
  })

  it('is frozen, deeply', () => {
    const c = loadConfig({})
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.upstream)).toBe(true)
  })

  it('reads CODEX_LB_* variables and derives paths from the data dir', () => {
    const c = loadConfig({
      CODEX_LB_PORT: '9000',
      CODEX_LB_DATA_DIR: '/srv/lb',
      CODEX_LB_UPSTREAM_BASE_URL: 'http://127.0.0.1:5000/backend-api/',
      CODEX_LB_USAGE_REFRESH_ENABLED: 'false',
      CODEX_LB_LOG_FORMAT: 'json',
      CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '5',
    })
    expect(c.port).toBe(9000)
    expect(c.database).toEqual({ kind: 'sqlite', path: '/srv/lb/store.db' })
    expect(c.encryptionKeyFile).toBe('/srv/lb/encryption.key')
    expect(c.upstream.baseUrl).toBe('http://127.0.0.1:5000/backend-api')
    expect(c.usage.refreshEnabled).toBe(false)
    expect(c.logFormat).toBe('json')
    expect(c.shutdownDrainMs).toBe(5000)
  })

  it('per-account stream cap 8 and queue wait 10 s unless the environment says otherwise', () => {
    expect(loadConfig({}).concurrency).toEqual({ accountMaxStreams: 8, queueWaitSeconds: 10 })
    const set = loadConfig({
      CODEX_LB_ACCOUNT_MAX_STREAMS: '3',
      CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS: '45',
    })
    expect(set.concurrency).toEqual({ accountMaxStreams: 3, queueWaitSeconds: 45 })
  })

  it.each([
    ['postgresql://u:p@db:5432/lb', 'postgres'],
    ['postgres://db/lb', 'postgres'],
    ['sqlite+aiosqlite:////var/lib/lb/store.db', 'sqlite'],
    ['/tmp/x.db', 'sqlite'],
  ])('selects the engine from DATABASE_URL %s', (url, kind) => {
    expect(loadConfig({ CODEX_LB_DATABASE_URL: url }).database.kind).toBe(kind)
  })

  it.each([
    ['CODEX_LB_PORT', 'abc', /CODEX_LB_PORT: expected a port number/],
    ['CODEX_LB_PORT', '70000', /CODEX_LB_PORT/],
    [
      'CODEX_LB_UPSTREAM_BASE_URL',
      'not a url',
      /CODEX_LB_UPSTREAM_BASE_URL: expected an http\(s\) URL/,
    ],
    [
      'CODEX_LB_USAGE_REFRESH_ENABLED',
      'maybe',
      /CODEX_LB_USAGE_REFRESH_ENABLED: expected true or false/,
    ],
    ['CODEX_LB_LOG_LEVEL', 'loud', /CODEX_LB_LOG_LEVEL/],
    ['CODEX_LB_LOG_FORMAT', 'xml', /CODEX_LB_LOG_FORMAT/],
    ['CODEX_LB_SHUTDOWN_DRAIN_SECONDS', '-1', /CODEX_LB_SHUTDOWN_DRAIN_SECONDS/],
    ['CODEX_LB_ACCOUNT_MAX_STREAMS', '0', /CODEX_LB_ACCOUNT_MAX_STREAMS/],
    [
      'CODEX_LB_ACCOUNT_MAX_STREAMS',
      '2.5',
      /CODEX_LB_ACCOUNT_MAX_STREAMS: expected a whole number/,
    ],
    ['CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS', '-3', /CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS/],
    [
      'CODEX_LB_PASSWORD_HASH_COST',
      '3',
      /CODEX_LB_PASSWORD_HASH_COST: expected a whole number from 4 to 15/,
    ],
    [
      'CODEX_LB_PASSWORD_HASH_COST',
      '16',
      /CODEX_LB_PASSWORD_HASH_COST: expected a whole number from 4 to 15/,
    ],
    [
      'CODEX_LB_PASSWORD_HASH_COST',
      '12.5',
      /CODEX_LB_PASSWORD_HASH_COST: expected a whole number from 4 to 15/,
    ],
    [
      'CODEX_LB_PASSWORD_HASH_COST',
      'twelve',
      /CODEX_LB_PASSWORD_HASH_COST: expected a whole number from 4 to 15/,
    ],
  ])('rejects %s=%s naming the variable and the expected form', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(message)
  })
})
