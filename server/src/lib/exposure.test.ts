import { describe, expect, it } from 'vitest'
import { exposureWarnings, isLoopbackHost } from './exposure.js'

describe('exposure warnings', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })

  it.each(['0.0.0.0', '::', '192.168.1.4', 'myhost.lan'])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false)
  })

  it('says nothing on loopback, whatever is configured', () => {
    const none = { passwordConfigured: false, apiKeyAuthEnabled: false }
    expect(exposureWarnings('127.0.0.1', none)).toEqual([])
  })

  it('names each open door on a public bind address', () => {
    const open = exposureWarnings('0.0.0.0', {
      passwordConfigured: false,
      apiKeyAuthEnabled: false,
    })
    expect(open).toHaveLength(2)
    expect(open[0]).toMatch(/0\.0\.0\.0.*dashboard has no password/)
    expect(open[1]).toMatch(/proxy needs no API key/)
    const keyed = exposureWarnings('0.0.0.0', {
      passwordConfigured: false,
      apiKeyAuthEnabled: true,
    })
    expect(keyed).toHaveLength(1)
    expect(exposureWarnings('::', { passwordConfigured: true, apiKeyAuthEnabled: true })).toEqual(
      [],
    )
  })
})
