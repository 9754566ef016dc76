// Copies the compiled shared/ workspace to server/dist/node_modules/@codex-lb/shared, where the
// built server resolves `@codex-lb/shared` without the workspace link. The npm package ships
// server/dist but not the workspace: npm pack does not follow a workspace symlink into a bundle.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const target = root('server/dist/node_modules/@codex-lb/shared')
const source = JSON.parse(readFileSync(root('shared/package.json'), 'utf8'))

rmSync(target, { recursive: true, force: true })
cpSync(root('shared/dist'), `${target}/dist`, {
  recursive: true,
  // Runtime code only: no tests, declarations or source maps.
  filter: (path) => !/(\.test\.js|\.d\.ts|\.map)$/.test(path),
})
const manifest = {
  name: source.name,
  version: source.version,
  type: 'module',
  exports: { '.': './dist/index.js' },
}
writeFileSync(`${target}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`)
