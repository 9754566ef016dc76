/*
 * The pages the browser lands on after the auth server redirects to the callback listener. They
 * say what happened in plain words; they never carry tokens, codes or stack traces, and everything
 * echoed is HTML-escaped (the error text can come from query parameters anyone can craft).
 */

export interface CallbackPage {
  status: number
  html: string
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

const STYLE = [
  'body{font-family:system-ui,-apple-system,sans-serif;background:#f6f7f9;color:#1f2328;margin:0}',
  'main{max-width:28rem;margin:15vh auto;padding:2rem;background:#fff;border-radius:12px;',
  'box-shadow:0 1px 3px rgba(0,0,0,.12)}h1{font-size:1.25rem;margin:0 0 .75rem}',
  'p{line-height:1.5;margin:.5rem 0}.ok h1{color:#1a7f37}.fail h1{color:#cf222e}',
].join('')

function page(kind: 'ok' | 'fail', title: string, lines: string[]): string {
  const body = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>codex-lb: ${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main class="${kind}"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  )
}

export function successPage(who: string): CallbackPage {
  return {
    status: 200,
    html: page('ok', 'Signed in', [
      `${who} was added to codex-lb.`,
      'You can close this tab and return to the dashboard or terminal.',
    ]),
  }
}

export function failurePage(status: number, message: string): CallbackPage {
  return {
    status,
    html: page('fail', 'Sign-in failed', [
      message,
      'No account was stored. Start a new sign-in from the dashboard or terminal.',
    ]),
  }
}

export function notFoundPage(): CallbackPage {
  return {
    status: 404,
    html: page('fail', 'Not found', ['This address only serves /auth/callback.']),
  }
}
