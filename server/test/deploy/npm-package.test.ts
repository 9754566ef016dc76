import { execFile, spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

// `npx codex-lb` runs the packed package: this packs the repository as npm would publish it,
// installs the tarball into an empty folder and starts the installed bin. It needs the build
// (`npm test` builds first); without one it is skipped.

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const at = (path: string) => join(ROOT, path)
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>

const BUILT = ['server/dist/main.js', 'web/dist/index.html'].every((path) => existsSync(at(path)))

describe('the npm package manifest', () => {
  it('is publishable and declares every runtime dependency of the server', () => {
    const root = readJson(at('package.json'))
    const server = readJson(at('server/package.json'))
    expect(root.private).toBeUndefined()
    expect(root.bin).toEqual({ 'codex-lb': 'server/bin/codex-lb.js' })
    // npm installs the root's dependencies only: the server workspace's must all be there.
    expect(root.dependencies).toEqual(server.dependencies)
  })
})

describe.skipIf(!BUILT)('the packed npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-pack-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('installs into an empty folder and its codex-lb bin serves ready and the dashboard', async () => {
    // --ignore-scripts: the build is already there (prepack would rebuild everything).
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    )
    const [packed] = JSON.parse(stdout) as Array<{
      filename: string
      files: Array<{ path: string }>
    }>
    const paths = packed!.files.map((f) => f.path)
    // The shared workspace travels inside server/dist (scripts/vendor-shared.mjs).
    expect(paths).toEqual(
      expect.arrayContaining([
        'server/bin/codex-lb.js',
        'server/dist/main.js',
        'server/dist/node_modules/@codex-lb/shared/dist/index.js',
        'web/dist/index.html',
      ]),
    )
    expect(paths.filter((p) => /^(server\/src|server\/test|shared|web\/src)\//.test(p))).toEqual([])
    expect(paths.filter((p) => /\.(map|test\.js)$/.test(p))).toEqual([])

    const app = join(dir, 'app')
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), '{ "name": "try-codex-lb", "private": true }\n')
    // From the npm cache when it has everything (CI filled it with npm ci), else the registry.
    // Scripts off: better-sqlite3 would compile SQLite for minutes; its addon is taken from the
    // workspace's own install of the same version instead (checked below).
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        join(dir, packed!.filename),
      ],
      { cwd: app, maxBuffer: 64 * 1024 * 1024 },
    )
    provideSqliteAddon(app)

    const server = spawn(join(app, 'node_modules/.bin/codex-lb'), [], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        CODEX_LB_DATA_DIR: join(dir, 'data'),
        CODEX_LB_PORT: '0',
        CODEX_LB_LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exit = new Promise<number | null>((resolve) => server.on('close', resolve))
    try {
      const url = await listeningUrl(server)
      const ready = await fetch(`${url}/health/ready`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({ status: 'ok' })
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('<title>codex-lb</title>')
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
      expect((await fetch(`${url}${script}`)).status).toBe(200)
    } finally {
      server.kill('SIGTERM')
    }
    expect(await exit).toBe(0)
  }, 240_000)
})

function provideSqliteAddon(app: string): void {
  const installed = join(app, 'node_modules/better-sqlite3')
  const workspace = at('node_modules/better-sqlite3')
  const version = (dir: string) => readJson(join(dir, 'package.json')).version
  expect(version(installed)).toBe(version(workspace))
  const addon = 'build/Release/better_sqlite3.node'
  mkdirSync(join(installed, 'build/Release'), { recursive: true })
  copyFileSync(join(workspace, addon), join(installed, addon))
}

/** The base URL from the start-up line, or the output so far if the process ends first. */
function listeningUrl(child: ReturnType<typeof spawn>): Promise<string> {
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in:\n${out}`)), 60_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('close', () => {
      clearTimeout(timer)
      reject(new Error(`codex-lb exited before listening:\n${out}`))
    })
  })
}
