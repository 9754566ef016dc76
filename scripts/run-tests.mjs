// Runs the whole Vitest suite and ends with one plain summary line ("N passed, N failed, N skipped")
// that CI reads; the exit code is Vitest's.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'

const out = '.vitest-results.json'
rmSync(out, { force: true })
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
)
let summary = 'no results'
try {
  const r = JSON.parse(readFileSync(out, 'utf8'))
  const skipped = r.numPendingTests + r.numTodoTests
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`
  if (r.numTotalTests === 0) summary = '0 passed, 1 failed'
} catch {
  summary = '0 passed, 1 failed'
}
console.log(`\ntests: ${summary}`)
process.exit(run.status ?? 1)
