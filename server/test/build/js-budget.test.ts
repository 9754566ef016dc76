import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

/**
 * The dashboard's first page load: index.html's entry chunk, every chunk it imports statically
 * (transitively) and their CSS, as Vite's manifest records them. Pages load lazily (web/src/app.tsx),
 * so what they need, the chart library above all, must stay out of this set. Run after the build
 * (`npm test` builds first).
 */
const DIST = process.env['CODEX_LB_WEB_DIST'] ?? join(import.meta.dirname, '../../../web/dist')
const MANIFEST = join(DIST, '.vite/manifest.json')
/** Gzipped bytes; 300 KB read as 300,000 bytes (the stricter reading). */
const BUDGET = 300_000

interface Chunk {
  file: string
  src?: string
  isEntry?: boolean
  imports?: string[]
  css?: string[]
}

function firstLoad(manifest: Record<string, Chunk>): string[] {
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry && c.src === 'index.html')
  if (!entry) throw new Error('no index.html entry in the Vite manifest')
  const files = new Set<string>()
  const seen = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) throw new Error(`manifest names a missing chunk ${key}`)
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  visit(entry[0])
  return [...files]
}

const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file))).length
/** recharts names its DOM nodes recharts-wrapper, recharts-surface…: the string survives minifying. */
const hasRecharts = (file: string) => readFileSync(join(DIST, file), 'utf8').includes('recharts-')

describe('the dashboard JavaScript budget', () => {
  it('keeps the first page load under 300 KB gzipped, without the chart library', () => {
    expect(existsSync(MANIFEST), `${MANIFEST} is missing: run npm run build first`).toBe(true)
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Chunk>
    const files = firstLoad(manifest)
    const sizes = files.map((f) => [f, gzipped(f)] as const)
    const total = sizes.reduce((s, [, n]) => s + n, 0)
    console.log(
      `first page load: ${(total / 1000).toFixed(1)} KB gzipped (budget ${BUDGET / 1000} KB)\n` +
        sizes.map(([f, n]) => `  ${f} ${(n / 1000).toFixed(1)} KB`).join('\n'),
    )
    expect(total).toBeLessThan(BUDGET)

    const js = files.filter((f) => f.endsWith('.js'))
    expect(js.filter(hasRecharts)).toEqual([])
    // The check is not vacuous: the charts are in the build, in a chunk loaded later.
    const all = Object.values(manifest).map((c) => c.file)
    expect(all.filter((f) => f.endsWith('.js') && hasRecharts(f)).length).toBeGreaterThan(0)
  })
})
