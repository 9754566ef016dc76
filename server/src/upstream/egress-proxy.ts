import { buildConnector, ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici'

/*
 * Egress proxies: an account's upstream, OAuth refresh and usage calls may leave through an HTTP(S)
 * CONNECT proxy or a SOCKS5 proxy (`socks5://user:pass@host:1080`). Credentials in the URL are
 * used by the dispatcher and never shown: `maskEgressProxy` replaces the password with `***`.
 */

const SCHEMES = new Set(['http:', 'https:', 'socks5:'])

/** Why a URL cannot be an egress proxy (null when it can): scheme, host and port are required. */
export function egressProxyProblem(value: string): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'expected a proxy URL like http://host:3128 or socks5://user:pass@host:1080'
  }
  if (!SCHEMES.has(url.protocol)) return 'expected an http://, https:// or socks5:// proxy URL'
  if (url.hostname === '') return 'expected a proxy host'
  // `new URL` drops a scheme's default port (80, 443): accept it only when the text names one.
  if (url.port === '' && !/:\d+\/?$/.test(value.replace(/[?#].*$/, ''))) {
    return 'expected a proxy port (host:port)'
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return 'expected only scheme, credentials, host and port'
  }
  return null
}

/** The URL as the dashboard may show it: the password (if any) replaced by `***`. */
export function maskEgressProxy(value: string): string {
  try {
    const url = new URL(value)
    if (url.password !== '') url.password = '***'
    return url.href.replace(/\/$/, '')
  } catch {
    return '***'
  }
}

export interface EgressDispatcherOptions {
  connectTimeoutMs: number
}

/** A dispatcher that sends every request through the proxy (CONNECT tunnels for HTTP(S) proxies). */
export function createEgressDispatcher(
  proxyUrl: string,
  options: EgressDispatcherOptions,
): Dispatcher {
  const timeout = options.connectTimeoutMs
  if (proxyUrl.startsWith('socks5:')) {
    return new Socks5ProxyAgent(proxyUrl, { connect: buildConnector({ timeout }) })
  }
  // proxyTunnel (the default) makes plain-http targets go through CONNECT too.
  return new ProxyAgent({
    uri: proxyUrl,
    // The connection to the proxy (plain TCP for http://, TLS for https://) and its timeout.
    proxyTls: { timeout },
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
  })
}

/** One lazily created dispatcher per proxy URL, all closed together. */
export class EgressDispatchers {
  readonly #byUrl = new Map<string, Dispatcher>()

  constructor(private readonly options: EgressDispatcherOptions) {}

  get(proxyUrl: string): Dispatcher {
    let dispatcher = this.#byUrl.get(proxyUrl)
    if (!dispatcher) {
      dispatcher = createEgressDispatcher(proxyUrl, this.options)
      this.#byUrl.set(proxyUrl, dispatcher)
    }
    return dispatcher
  }

  async close(): Promise<void> {
    const all = [...this.#byUrl.values()]
    this.#byUrl.clear()
    await Promise.all(all.map((d) => d.close()))
  }
}
