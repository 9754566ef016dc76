import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

/*
 * What the browser tests share: Debian's chromium driven by playwright-core, the built dashboard
 * (web/dist, which `npm test` builds first) and the folder the screenshots land in for review.
 */
export const CHROMIUM = '/usr/bin/chromium'
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url))
export const RESULTS = fileURLToPath(new URL('../../../test-results', import.meta.url))

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const DESKTOP = { width: 1360, height: 900 }
export const PHONE = { width: 390, height: 844 }

export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) console.log(`[codex-lb tests] browser tests skipped: ${CHROMIUM} is missing`)

/** Fails early with the fix when the dashboard has not been built. */
export function requireWebDist(): void {
  if (!existsSync(`${WEB_DIST}/index.html`)) {
    throw new Error('web/dist is missing: run `npm run build` before the browser test')
  }
}

/** The results folder (and a subfolder), created if missing; returns its path. */
export function resultsDir(sub?: string): string {
  const dir = sub ? `${RESULTS}/${sub}` : RESULTS
  mkdirSync(dir, { recursive: true })
  return dir
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/**
 * A new page whose uncaught errors are pushed onto `errors`. Reduced motion: screenshots show
 * settled bars and dialogs, not mid-transition frames.
 */
export async function openPage(
  browser: Browser,
  errors: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce', ...options })
  page.on('pageerror', (error) => errors.push(error.message))
  return page
}

/** A link of the main navigation (the sidebar on a wide screen). */
export const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })
