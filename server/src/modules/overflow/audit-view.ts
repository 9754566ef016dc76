import type { OverflowUpstreamResponse } from './schemas.js'

/** The URL without credentials or query (either could hold a key someone pasted into it). */
function safeUrl(raw: string): string {
  try {
    const url = new URL(raw)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return '[invalid url]'
  }
}

/** What the audit log says about an overflow upstream: never its key, nor its key's prefix. */
export function overflowAuditView(u: OverflowUpstreamResponse): Record<string, unknown> {
  return {
    name: u.name,
    baseUrl: safeUrl(u.baseUrl),
    models: u.models,
    inputPrice: u.inputPrice,
    cachedInputPrice: u.cachedInputPrice,
    outputPrice: u.outputPrice,
  }
}
