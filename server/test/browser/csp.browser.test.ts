import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DASHBOARD_CSP } from '../../src/http/security-headers.js'
import {
  hasChromium,
  launchChromium,
  nav,
  openPage,
  requireWebDist,
  WEB_DIST,
} from '../support/browser.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

/*
 * The built dashboard under its real Content-Security-Policy: signing in, a few pages (charts, the
 * TOTP QR code), signing out, with every CSP violation the browser reports collected. Needs
 * web/dist (`npm run build`).
 */
const PASSWORD = 'csp browser password'

declare global {
  interface Window {
    __cspViolations?: string[]
  }
}

describe.skipIf(!hasChromium)('the dashboard under its Content-Security-Policy', () => {
  let h: ProxyHarness
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const refused: string[] = []

  /** What the page itself saw as `securitypolicyviolation` events (init script below). */
  const violations = async () => page.evaluate(() => window.__cspViolations ?? [])

  beforeAll(async () => {
    requireWebDist()
    h = await startProxyHarness({ env: { STATIC_DIR: WEB_DIST } })
    await h.addAccount({ email: 'csp@example.com' })
    await h.sdk().responses.create({ model: 'gpt-5.5', input: 'a row for the charts' })
    await h.logs()
    const setup = await new DashboardClient(h.t.url).post('/api/dashboard-auth/password/setup', {
      password: PASSWORD,
    })
    expect(setup.status).toBe(200)
    browser = await launchChromium()
    page = await openPage(browser, pageErrors)
    // Runs before the page's own scripts (injected by the browser, so the CSP does not apply).
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        ;(window.__cspViolations ??= []).push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        )
      })
    })
    page.on('console', (message) => {
      if (/Refused to|Content Security Policy|Permissions-Policy/i.test(message.text()))
        refused.push(message.text())
    })
  })

  afterAll(async () => {
    await browser?.close()
    await h?.close()
  })

  it('loads under the policy and signs in', async () => {
    const response = await page.goto(h.t.url)
    expect(response?.headers()['content-security-policy']).toBe(DASHBOARD_CSP)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    expect(await violations()).toEqual([])
  })

  it('shows charts, logs and the TOTP QR code without a violation, then signs out', async () => {
    await nav(page, 'Request logs').click()
    await page.getByRole('heading', { name: 'Request logs' }).waitFor()
    await nav(page, 'Reports').click()
    await page.getByRole('heading', { name: 'Reports' }).waitFor()
    await page.locator('.recharts-surface').first().waitFor()
    await nav(page, 'Settings').click()
    await page.getByRole('button', { name: 'Set up authenticator' }).click()
    const qr = page.getByRole('img', { name: 'QR code for the authenticator app' })
    await qr.waitFor()
    // A data: image that the policy blocked would have no width.
    await expect
      .poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()

    expect(await violations()).toEqual([])
    expect(refused).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
