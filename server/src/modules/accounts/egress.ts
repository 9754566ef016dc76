import type { TokenCipher } from '../../crypto/index.js'
import type { AccountRow } from '../../db/index.js'
import { maskEgressProxy } from '../../upstream/egress-proxy.js'

/** The account's own egress proxy as stored (decrypted); null when it has none. */
export function ownEgressProxy(row: AccountRow, cipher: TokenCipher): string | null {
  return row.egress_proxy_encrypted ? cipher.decrypt(row.egress_proxy_encrypted) : null
}

/** The account's own egress proxy for display: any password replaced by `***`. */
export function maskedEgressProxy(row: AccountRow, cipher: TokenCipher): string | null {
  const url = ownEgressProxy(row, cipher)
  return url === null ? null : maskEgressProxy(url)
}
