import { Secret, TOTP } from 'otpauth'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  hasChromium,
  launchChromium,
  nav,
  openPage,
  requireWebDist,
  resultsDir,
  WEB_DIST,
} from '../support/browser.js'
import { startFakeOpenAi } from '../support/fake-openai.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

/*
 * The built dashboard (web/dist) served by the real server, driven by Debian's chromium. This test
 * builds nothing: `npm test` runs `npm run build` first. Screenshots land in test-results/ for review.
 */
const RESULTS = resultsDir()

describe.skipIf(!hasChromium)('dashboard in a real browser', () => {
  let h: ProxyHarness
  let t: TestApp
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    requireWebDist()
    // The proxy harness points the server at a fake upstream, so real requests make real log rows.
    h = await startProxyHarness({ env: { STATIC_DIR: WEB_DIST } })
    t = h.t
    await h.addAccount({ email: 'alice@example.com', planType: 'plus' })
    await h.addAccount({ email: 'bob@example.com', planType: 'pro' })
    for (const input of ['say hi', 'and again']) {
      await h.sdk().responses.create({ model: 'gpt-5.5', input })
    }
    await h.logs()
    browser = await launchChromium()
    page = await openPage(browser, pageErrors)
  })

  afterAll(async () => {
    await browser?.close()
    await h?.close()
  })

  it('renders the shell and the overview', async () => {
    await page.goto(t.url)
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(true)
    await page.getByText('Account pool').waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-overview.png`, fullPage: true })
  })

  it('navigates to Accounts and lists the imported accounts', async () => {
    await nav(page, 'Accounts').click()
    await page.getByRole('heading', { name: 'Accounts' }).waitFor()
    await page.getByText('alice@example.com').first().waitFor()
    await expect(page.getByTestId('account-row').count()).resolves.toBe(2)
    await page.getByRole('button', { name: 'Usage trend for alice@example.com' }).click()
    await page
      .getByText(/No usage samples yet|Usage trends unavailable|Could not load usage trends/)
      .or(page.getByTestId('account-trends'))
      .first()
      .waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-accounts.png`, fullPage: true })
  })

  it('navigates to Settings and shows the client setup for this origin', async () => {
    await nav(page, 'Settings').click()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
    await page.getByText(`${t.url}/backend-api/codex`).waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-settings.png`, fullPage: true })
  })

  it('adds an overflow upstream in Settings and picks a mode', async () => {
    const openai = await startFakeOpenAi()
    try {
      const card = page.locator('[data-slot="card"]', { hasText: 'Overflow' }).first()
      await card.getByRole('button', { name: 'Add overflow upstream' }).click()
      const form = page.getByRole('form', { name: 'New overflow upstream' })
      await form.getByLabel('Name', { exact: true }).fill('openai-direct')
      await form.getByLabel('Base URL').fill(openai.baseUrl)
      await form.getByLabel('API key').fill(openai.apiKey)
      await form.getByLabel(/^Models/).fill('gpt-5.5 -> gpt-5.1')
      await form.getByRole('button', { name: 'Add upstream' }).click()
      const list = card.getByRole('list', { name: 'Overflow upstreams' })
      await list.getByText('openai-direct').waitFor()
      await list.getByText('gpt-5.5 → gpt-5.1').waitFor()
      await expect(page.content()).resolves.not.toContain(openai.apiKey)
      await card.getByLabel('Overflow mode').selectOption('exhausted')
      await card.getByText(/only when no account can serve them/).waitFor()
      await page.screenshot({ path: `${RESULTS}/dashboard-settings-overflow.png`, fullPage: true })
    } finally {
      await openai.close()
    }
  })

  it('creates an API key and shows the plaintext once (or a clean state without the endpoint)', async () => {
    const probe = await fetch(`${t.url}/api/api-keys/`)
    await nav(page, 'API keys').click()
    await page.getByRole('heading', { name: 'API keys' }).waitFor()
    if (probe.status === 404) {
      await page.getByText('API keys unavailable').waitFor()
      return
    }
    await page.getByRole('button', { name: 'Create key' }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Name').fill('browser test')
    await dialog.getByRole('button', { name: 'Create key' }).click()
    const key = await page.getByTestId('created-key').textContent()
    expect(key).toMatch(/^sk-clb-/)
    await page.screenshot({ path: `${RESULTS}/dashboard-api-key-created.png` })
    await page.getByRole('button', { name: 'I stored it' }).click()
    await page.getByTestId('api-key-row').first().waitFor()
    await expect(page.getByText(key ?? '').count()).resolves.toBe(0)
  })

  it('lists the proxied requests in the request logs', async () => {
    await nav(page, 'Request logs').click()
    await page.getByRole('heading', { name: 'Request logs' }).waitFor()
    await page.getByTestId('request-log-row').first().waitFor()
    await expect(page.getByTestId('request-log-row').count()).resolves.toBe(2)
    await page.getByText('1–2 of 2').waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-request-logs.png`, fullPage: true })
  })

  it('chooses a routing strategy and the next requests follow it', async () => {
    const servedBy = async (n: number) => {
      const before = h.fake.requestsTo('/backend-api/codex/responses').length
      for (let i = 0; i < n; i++) await h.sdk().responses.create({ model: 'gpt-5.5', input: 'x' })
      return h.fake
        .requestsTo('/backend-api/codex/responses')
        .slice(before)
        .map((r) => r.account?.email)
    }
    // bob goes first in the account order.
    await nav(page, 'Accounts').click()
    const row = page.getByTestId('account-row').filter({ hasText: 'bob@example.com' })
    await row.getByRole('button', { name: /^Routing position of bob@example.com/ }).click()
    await page.getByLabel('Routing position', { exact: true }).fill('1')
    await page.getByRole('button', { name: 'Save' }).click()
    await row.getByRole('button', { name: 'Routing position of bob@example.com: 1' }).waitFor()

    await nav(page, 'Settings').click()
    await page.getByRole('radio', { name: 'Fill first' }).check()
    await page.getByText('Settings saved').first().waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-routing-strategy.png`, fullPage: true })
    expect(await servedBy(3)).toEqual(['bob@example.com', 'bob@example.com', 'bob@example.com'])

    await page.getByRole('radio', { name: 'Round robin' }).check()
    await expect
      .poll(
        async () => (await fetch(`${t.url}/api/settings`).then((r) => r.json())).routingStrategy,
      )
      .toBe('round_robin')
    expect(await servedBy(4)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'alice@example.com',
      'bob@example.com',
    ])
    await page.reload()
    await expect(page.getByRole('radio', { name: 'Round robin' }).isChecked()).resolves.toBe(true)
  })

  it('opens the add-account dialog', async () => {
    await nav(page, 'Accounts').click()
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.getByRole('tab', { name: /Device code/ }).waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-add-account.png` })
    await page.keyboard.press('Escape')
  })

  it('renders in dark mode on a small screen', async () => {
    const mobile = await openPage(browser, pageErrors, {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    })
    await mobile.goto(`${t.url}/accounts`)
    await mobile.getByText('alice@example.com').filter({ visible: true }).first().waitFor()
    const dark = await mobile.evaluate(() => document.documentElement.classList.contains('dark'))
    expect(dark).toBe(true)
    await mobile.screenshot({
      path: `${RESULTS}/dashboard-accounts-mobile-dark.png`,
      fullPage: true,
    })
    await mobile.close()
  })

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([])
  })
})

describe.skipIf(!hasChromium)('dashboard sign-in against the real auth endpoints', () => {
  let t: TestApp
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    t = await startTestApp({ env: { STATIC_DIR: WEB_DIST } })
    browser = await launchChromium()
    page = await openPage(browser, [], { viewport: { width: 1280, height: 860 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  const logOut = async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
  }
  const signIn = async (password: string) => {
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('sets a password, then requires it', async () => {
    await page.goto(`${t.url}/settings`)
    await page.getByLabel('New password').fill('correct horse battery')
    await page.getByLabel('Confirm').fill('correct horse battery')
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.getByRole('button', { name: 'Change password' }).waitFor()
    await logOut()
    await signIn('wrong password')
    await page.getByText('Invalid credentials').waitFor()
    await signIn('correct horse battery')
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
  })

  const totpCard = () =>
    page.locator('[data-slot="card"]').filter({ hasText: 'Two-factor authentication' })
  /** Sets up an authenticator from the QR dialog; the returned generator is the "app". */
  const setUpTotp = async () => {
    await page.getByRole('button', { name: 'Set up authenticator' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByAltText('QR code for the authenticator app').waitFor()
    const secret = (await dialog.locator('code').first().textContent()) ?? ''
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
    await dialog.getByLabel('Code from the app').fill(totp.generate())
    await dialog.waitFor({ state: 'detached' })
    await totpCard().getByText('On', { exact: true }).waitFor()
    return totp
  }

  it('sets up TOTP, then turns it off with a current code: the card says Off', async () => {
    const totp = await setUpTotp()
    await totpCard().getByRole('button', { name: 'Turn off' }).click()
    const dialog = page.getByRole('dialog')
    // The setup code's step is used up (replay protection): the next step's code, within the window.
    await dialog
      .getByLabel('Code from the app')
      .fill(totp.generate({ timestamp: Date.now() + 30_000 }))
    await dialog.getByRole('button', { name: 'Turn off' }).click()
    await dialog.waitFor({ state: 'detached' })
    await totpCard().getByText('Off', { exact: true }).waitFor()
    await totpCard().getByRole('button', { name: 'Set up authenticator' }).waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-settings-totp-off.png`, fullPage: true })
  })

  it('sets up TOTP from the QR dialog and asks for a code at the next login', async () => {
    const totp = await setUpTotp()
    const enforce = page.getByRole('switch', { name: 'Require a code at login' })
    // Enabled only once the refreshed session says TOTP is configured.
    await page.locator('#totp-required:not([disabled])').waitFor()
    await enforce.click()
    await page.locator('#totp-required[aria-checked="true"]').waitFor()
    await page.getByText('Settings saved').waitFor()
    await page.screenshot({ path: `${RESULTS}/dashboard-settings-security.png`, fullPage: true })

    await logOut()
    await signIn('correct horse battery')
    // The next step's code: the setup code's step may count as used (replay protection).
    await page
      .getByLabel('Authentication code')
      .fill(totp.generate({ timestamp: Date.now() + 30_000 }))
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
  })
})
