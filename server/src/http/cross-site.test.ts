import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config/index.js'
import { crossSiteCheck, originOf } from './cross-site.js'

interface Sent {
  method: string
  headers?: Record<string, string>
  /** What Fastify made of Host / X-Forwarded-Host and the scheme (trusted proxies applied). */
  host?: string
  protocol?: 'http' | 'https'
}

const request = ({ method, headers = {}, host = '127.0.0.1:2455', protocol = 'http' }: Sent) =>
  ({ method, headers, host, protocol }) as unknown as FastifyRequest

const check = crossSiteCheck(['https://admin.example'])

describe('cross-site check', () => {
  it.each<[string, Sent, boolean]>([
    ['no Origin, no Fetch Metadata (curl)', { method: 'POST' }, true],
    ['same origin', { method: 'POST', headers: { origin: 'http://127.0.0.1:2455' } }, true],
    [
      'https page behind a TLS terminator',
      { method: 'POST', headers: { origin: 'https://127.0.0.1:2455' } },
      true,
    ],
    ['another site', { method: 'POST', headers: { origin: 'http://evil.example' } }, false],
    ['another port', { method: 'POST', headers: { origin: 'http://127.0.0.1:5173' } }, false],
    ['opaque origin', { method: 'DELETE', headers: { origin: 'null' } }, false],
    ['garbage origin', { method: 'POST', headers: { origin: 'not a url' } }, false],
    ['allow-listed', { method: 'PUT', headers: { origin: 'https://admin.example' } }, true],
    [
      'allow-listed host, other scheme',
      { method: 'PUT', headers: { origin: 'http://admin.example' } },
      false,
    ],
    [
      'http page posting to https',
      { method: 'POST', protocol: 'https', headers: { origin: 'http://127.0.0.1:2455' } },
      false,
    ],
    [
      'forwarded host and proto',
      {
        method: 'POST',
        host: 'lb.example',
        protocol: 'https',
        headers: { origin: 'https://lb.example' },
      },
      true,
    ],
    [
      'Fetch Metadata cross-site',
      { method: 'PUT', headers: { 'sec-fetch-site': 'cross-site' } },
      false,
    ],
    [
      'Fetch Metadata same-site',
      { method: 'POST', headers: { 'sec-fetch-site': 'same-site' } },
      false,
    ],
    [
      'Fetch Metadata same-origin',
      { method: 'PATCH', headers: { 'sec-fetch-site': 'same-origin' } },
      true,
    ],
    ['a read', { method: 'GET', headers: { origin: 'http://evil.example' } }, true],
  ])('%s → allowed %s', async (_name, sent, allowed) => {
    const outcome = check(request(sent))
    if (allowed) await expect(outcome).resolves.toBeUndefined()
    else await expect(outcome).rejects.toMatchObject({ status: 403, code: 'csrf_rejected' })
  })

  it('default ports compare equal', async () => {
    const sent = { method: 'POST', host: 'lb.example', headers: { origin: 'http://lb.example:80' } }
    await expect(check(request(sent))).resolves.toBeUndefined()
  })

  it('originOf normalizes and refuses what is not http(s)', () => {
    expect(originOf('HTTPS://LB.example:443/')).toBe('https://lb.example')
    expect(originOf('null')).toBeNull()
    expect(originOf('file:///etc/passwd')).toBeNull()
  })
})

describe('CODEX_LB_DASHBOARD_ALLOWED_ORIGINS', () => {
  const origins = (value?: string) =>
    loadConfig(value === undefined ? {} : { CODEX_LB_DASHBOARD_ALLOWED_ORIGINS: value })
      .dashboardAllowedOrigins

  it('is a normalized comma list, empty by default', () => {
    expect(origins()).toEqual([])
    expect(origins(' HTTPS://Admin.example:443/ , http://10.0.0.5:2455 ')).toEqual([
      'https://admin.example',
      'http://10.0.0.5:2455',
    ])
  })

  it.each(['admin.example', 'https://admin.example/path', 'ftp://admin.example', 'null'])(
    'refuses %s',
    (value) => expect(() => origins(value)).toThrow(ConfigError),
  )
})
