import { describe, expect, it } from 'vitest'
import { escapeHtml, failurePage, successPage } from './pages.js'

describe('callback pages', () => {
  it('escapes everything echoed', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
    const page = failurePage(400, '<img src=x onerror=alert(1)>')
    expect(page.status).toBe(400)
    expect(page.html).not.toContain('<img')
    expect(successPage('<b>me</b>').html).toContain('&lt;b&gt;me&lt;/b&gt; was added to codex-lb.')
  })
})
