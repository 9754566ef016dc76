import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../test/support/fuzz.js'
import { allows, parseNetworks, trustedProxyList } from './networks.js'

// Allowed-network and trusted-proxy lists: an IPv4 CIDR allows exactly the addresses that share its
// prefix (also as ::ffff:a.b.c.d), and no list text or client address makes them throw anything
// but the configuration error that names the entry.

const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 })
const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')
const inPrefix = (a: number, b: number, bits: number) =>
  bits === 0 || a >>> (32 - bits) === b >>> (32 - bits)

const addressLike = fc.oneof(
  u32.map(dotted),
  fc.ipV6(),
  fc.ipV4Extended(),
  u32.map((n) => `::ffff:${dotted(n)}`),
  fc.constantFrom('fe80::1%eth0', '::', '0.0.0.0', '255.255.255.255', 'localhost', '1.2.3', ''),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

describe('network list properties', () => {
  it('allows exactly the addresses inside an IPv4 CIDR, plain or IPv4-mapped', () => {
    const prop = fc.property(u32, fc.integer({ min: 0, max: 32 }), u32, (net, bits, ip) => {
      const { list } = parseNetworks(` ${dotted(net)}/${bits} `)
      expect(allows(list, dotted(ip))).toBe(inPrefix(net, ip, bits))
      expect(allows(list, `::ffff:${dotted(ip)}`)).toBe(inPrefix(net, ip, bits))
    })
    fc.assert(prop, fuzzParams(300))
  })

  it('parses any list text or refuses it naming an entry, and checks any address without throwing', () => {
    const entry = fc.oneof(
      addressLike,
      fc
        .tuple(
          addressLike,
          fc.oneof(fc.integer({ min: -1, max: 129 }).map(String), fc.string({ maxLength: 4 })),
        )
        .map(([a, p]) => `${a}/${p}`),
      fc.constantFrom('loopback', 'LinkLocal', ' uniquelocal ', '/', '//', '1.2.3.4/8/8'),
    )
    const prop = fc.property(
      fc.array(entry, { maxLength: 5 }),
      fc.array(addressLike, { maxLength: 5 }),
      (entries, ips) => {
        let list
        try {
          list = trustedProxyList(entries)
        } catch (err) {
          expect(err).toBeInstanceOf(Error)
          expect((err as Error).message).toMatch(/^".*" is not an IP address or CIDR range$/s)
          return
        }
        for (const ip of ips) expect(typeof allows(list, ip)).toBe('boolean')
      },
    )
    fc.assert(prop, fuzzParams(300))
  })

  it('never allows an address that is not one, whatever the list', () => {
    const notIp = fc
      .string({ unit: 'binary', maxLength: 40 })
      .filter((s) => !/^[0-9a-fA-F:.%]+$/.test(s))
    const prop = fc.property(notIp, (ip) => {
      expect(allows(parseNetworks('0.0.0.0/0, ::/0').list, ip)).toBe(false)
    })
    fc.assert(prop, fuzzParams(200))
  })
})
