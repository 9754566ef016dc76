import { BlockList, isIP } from 'node:net'

/** Parses `10.0.0.0/8, 192.168.1.7, ::1/128`; throws naming the first entry that is neither. */
export function parseNetworks(raw: string): { list: BlockList; entries: string[] } {
  const list = new BlockList()
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix)
    const max = family === 6 ? 128 : 32
    if (!family || rest.length || !Number.isInteger(bits) || bits < 0 || bits > max) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`)
    }
    list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4')
  }
  return { list, entries }
}

/** IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d; match them as IPv4. */
export function allows(list: BlockList, ip: string): boolean {
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
  const family = isIP(plain)
  if (!family) return false
  return list.check(plain, family === 6 ? 'ipv6' : 'ipv4')
}

/** proxy-addr's names for address ranges (what Fastify's trustProxy accepts besides CIDRs). */
const NAMED_RANGES: Record<string, string> = {
  loopback: '127.0.0.0/8, ::1/128',
  linklocal: '169.254.0.0/16, fe80::/10',
  uniquelocal: '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7',
}

/** A trusted-proxy list (addresses, CIDRs, or loopback/linklocal/uniquelocal) as a BlockList. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const expanded = entries.map((e) => NAMED_RANGES[e.trim().toLowerCase()] ?? e).join(',')
  return parseNetworks(expanded).list
}
