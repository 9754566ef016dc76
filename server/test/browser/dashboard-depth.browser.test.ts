import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DESKTOP,
  hasChromium,
  launchChromium,
  nav,
  openPage,
  PHONE,
  requireWebDist,
  resultsDir,
  WEB_DIST,
} from '../support/browser.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

/*
 * The dashboard's depth in a real browser (web/dist, built beforehand): a failover chain in the
 * request-log detail panel, the CSV export read back, a report, the audit entry of our own
 * password change, and every page in light and dark at desktop and phone width
 * (test-results/pages/<page>-<theme>-<width>.png).
 */
const PAGES = resultsDir('pages')
const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'staple battery horse'

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const endCell = () => {
    row.push(cell)
    cell = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      cell += c
    } else if (c === ',') {
      endCell()
    } else if (c === '\n') {
      endCell()
      rows.push(row)
      row = []
    }
  }
  if (cell || row.length) {
    endCell()
    rows.push(row)
  }
  return rows
}

const isDark = (page: Page) =>
  page.evaluate(() => document.documentElement.classList.contains('dark'))

// A loaded machine (the whole suite in parallel) takes seconds per full-page screenshot.
describe.skipIf(!hasChromium)('dashboard depth in a real browser', { timeout: 60_000 }, () => {
  let h: ProxyHarness
  let browser: Browser
  let page: Page
  let accountB = ''
  let chainRequestId = ''
  const pageErrors: string[] = []
  const overflowing: string[] = []

  const rows = () => page.getByTestId('request-log-row')
  const chainRows = () => rows().and(page.getByLabel(`Request ${chainRequestId}: show details`))
  const visibleText = (text: string, exact = true) =>
    page.getByText(text, { exact }).filter({ visible: true }).first().waitFor()
  const rowLabels = async () =>
    (await rows().evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))).map(
      (label) => label.replace(/^Request (.*): show details$/, '$1'),
    )

  /** The page in light and dark at desktop and phone width; `ready` waits for its content. */
  const shoot = async (name: string, ready: () => Promise<unknown>) => {
    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport)
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme })
        await expect.poll(() => isDark(page)).toBe(theme === 'dark')
        await ready()
        if (width === 'phone') {
          const [scroll, inner] = await page.evaluate(() => [
            document.documentElement.scrollWidth,
            window.innerWidth,
          ])
          if (scroll > inner + 1) overflowing.push(`${name} (${theme}): ${scroll}px > ${inner}px`)
        }
        await page.screenshot({ path: `${PAGES}/${name}-${theme}-${width}.png`, fullPage: true })
      }
    }
    await page.setViewportSize(DESKTOP)
    await page.emulateMedia({ colorScheme: 'light' })
  }

  beforeAll(async () => {
    requireWebDist()
    // fill_first with A at position 1: A is tried first, so its 429 fails over to B.
    h = await startProxyHarness({ env: { STATIC_DIR: WEB_DIST, ROUTING_STRATEGY: 'fill_first' } })
    const api = new DashboardClient(h.t.url)
    const a = await h.addAccount({ email: 'alice@example.com', planType: 'plus' })
    const b = await h.addAccount({ email: 'bob@example.com', planType: 'pro' })
    accountB = b.id
    await api.patch(`/api/accounts/${a.id}`, { routeOrder: 1, alias: 'Laptop A' })
    await api.patch(`/api/accounts/${b.id}`, { routeOrder: 2 })
    await api.post('/api/api-keys/', { name: 'ci runner', limits: [] })
    h.fake.script(a, usageLimitReached({ planType: 'plus' }))
    h.fake.script(b, { kind: 'ok', text: 'served by b' })
    const first = await h.sdk().responses.create({ model: 'gpt-5.5', input: 'fail over' })
    expect(first.output_text).toBe('served by b')
    for (const input of ['again', 'and again']) {
      await h.sdk().responses.create({ model: 'gpt-5.5', input })
    }
    const logged = await h.logs()
    expect(logged.map((r) => [r['account_id'], r['status']])).toEqual([
      [a.id, 'error'],
      [b.id, 'success'],
      [b.id, 'success'],
      [b.id, 'success'],
    ])
    chainRequestId = String(logged[0]!['request_id'])
    browser = await launchChromium()
    page = await openPage(browser, pageErrors, { acceptDownloads: true })
    // A missing text fails its own step (naming the locator) well before the test's timeout.
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    await h?.close()
  })

  it('walks a failover chain in the detail panel: Laptop A 429 → bob served', async () => {
    await page.goto(`${h.t.url}/logs`)
    await page.getByRole('heading', { name: 'Request logs' }).waitFor()
    await page.getByText('1–4 of 4').waitFor()
    const served = chainRows().filter({ hasText: 'bob@example.com' })
    await served.click()
    const panel = page.getByTestId('request-detail-panel')
    await panel.getByText('2 attempts share this request ID, oldest first.').waitFor()
    const chain = panel.getByTestId('chain-attempt')
    await expect(chain.allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^1\.\s*Laptop A\s*429 usage_limit_reached$/),
      expect.stringMatching(/^2\.\s*bob@example\.com\s*served$/),
    ])
    // The served attempt (the row clicked) is the one shown; the failed one is a click away.
    await expect(chain.nth(1).getAttribute('aria-current')).resolves.toBe('true')
    await chain.nth(0).click()
    await expect(chain.nth(0).getAttribute('aria-current')).resolves.toBe('true')
    await panel.getByText('usage_limit_reached').first().waitFor()
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
  })

  it('exports the logs as CSV: a header and one line per row, the ids the list shows', async () => {
    await page.goto(`${h.t.url}/logs`)
    await rows().first().waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ])
    const file = await download.path()
    const [header, ...lines] = parseCsv(readFileSync(file, 'utf8'))
    expect(header).toContain('request_id')
    const listed = await rowLabels()
    expect(lines).toHaveLength(listed.length)
    const idColumn = header!.indexOf('request_id')
    expect(lines.map((l) => l[idColumn]).sort()).toEqual([...listed].sort())
    expect(lines.filter((l) => l[idColumn] === chainRequestId)).toHaveLength(2)
  })

  it('opens a report: the chart and a table whose total counts the requests just made', async () => {
    await page.goto(h.t.url)
    await nav(page, 'Reports').click()
    await page.getByRole('heading', { name: 'Reports' }).waitFor()
    await page.getByRole('img', { name: /per .* by group/ }).waitFor()
    const total = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Total', exact: true }) })
    await total.waitFor()
    // Total, Requests, Errors, …: four attempts logged, one of them the 429.
    const cells = await total.getByRole('cell').allInnerTexts()
    expect(cells.slice(0, 3)).toEqual(['Total', '4', '1'])
  })

  it('finds its own password change (and the sign-ins) in the audit log', async () => {
    await page.goto(`${h.t.url}/settings`)
    await page.getByLabel('New password').fill(PASSWORD)
    await page.getByLabel('Confirm').fill(PASSWORD)
    await page.getByRole('button', { name: 'Set password' }).click()
    await page.getByRole('button', { name: 'Change password' }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Invalid credentials').waitFor()
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()

    await page.getByRole('button', { name: 'Change password' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Current password').fill(PASSWORD)
    await dialog.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await dialog.getByLabel('Confirm new password').fill(NEW_PASSWORD)
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await dialog.waitFor({ state: 'detached' })

    await nav(page, 'Audit log').click()
    await page.getByRole('heading', { name: 'Audit log' }).waitFor()
    const entry = (action: string, outcome: 'Success' | 'Failed') =>
      page
        .getByTestId('audit-row')
        .filter({ has: page.getByRole('cell', { name: action, exact: true }) })
        .filter({ hasText: outcome })
    await entry('Password changed', 'Success').waitFor()
    await expect(entry('Password changed', 'Success').count()).resolves.toBe(1)
    await expect(entry('Password set', 'Success').count()).resolves.toBe(1)
    await expect(entry('Signed in', 'Success').count()).resolves.toBeGreaterThanOrEqual(1)
    await expect(entry('Signed in', 'Failed').count()).resolves.toBe(1)
    const html = await page.content()
    for (const secret of [PASSWORD, NEW_PASSWORD, 'not the password']) {
      expect(html).not.toContain(secret)
    }
  })

  /** Each page: where it is, what shows it has loaded (at either width), what to open first. */
  const SCREENS: Array<{
    name: string
    path: () => string
    ready: () => Promise<unknown>
    open?: () => Promise<unknown>
  }> = [
    { name: 'overview', path: () => '/', ready: () => visibleText('Account pool') },
    {
      name: 'accounts',
      path: () => '/accounts',
      ready: () => visibleText('bob@example.com', false),
    },
    {
      name: 'account',
      path: () => `/accounts/${accountB}`,
      ready: () => page.getByRole('heading', { name: 'bob@example.com' }).waitFor(),
    },
    {
      name: 'request-logs',
      path: () => '/logs',
      open: () => chainRows().first().click(),
      ready: () => page.getByTestId('chain-attempt').first().waitFor(),
    },
    { name: 'reports', path: () => '/reports', ready: () => visibleText('Total') },
    { name: 'api-keys', path: () => '/api-keys', ready: () => visibleText('ci runner') },
    { name: 'settings', path: () => '/settings', ready: () => visibleText('Change password') },
    { name: 'audit', path: () => '/audit', ready: () => visibleText('Password changed') },
  ]

  it.each(SCREENS)(
    'shows $name in light and dark, at desktop and phone width, without overflow',
    async ({ name, path, ready, open }) => {
      const before = overflowing.length
      await page.goto(`${h.t.url}${path()}`)
      await open?.()
      await ready()
      await shoot(name, ready)
      expect(overflowing.slice(before)).toEqual([])
    },
  )

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([])
  })
})
