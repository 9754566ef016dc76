import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { runCli } from '../../src/cli/run-cli.js'
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js'

export interface ProcessFixture {
  fake: FakeUpstream
  /** The working directory of spawned servers; the data dir is `<dir>/data`. */
  dir: string
  /** CODEX_LB_* for spawnServer: the data dir and the fake upstream. */
  env: Record<string, string>
}

/**
 * For a test file that runs the server as its own process: a fake upstream and a data dir with one
 * account imported through the CLI (as an operator would), made before the file's tests and
 * removed after them. The returned object is filled in by then.
 */
export function processFixture(prefix: string, email: string): ProcessFixture {
  const fixture = {} as ProcessFixture
  beforeAll(async () => {
    fixture.fake = await startFakeUpstream()
    fixture.dir = mkdtempSync(join(tmpdir(), prefix))
    fixture.env = {
      CODEX_LB_DATA_DIR: join(fixture.dir, 'data'),
      CODEX_LB_UPSTREAM_BASE_URL: fixture.fake.backendBaseUrl,
      CODEX_LB_AUTH_BASE_URL: fixture.fake.authBaseUrl,
      CODEX_LB_LOG_FORMAT: 'json',
    }
    const account = fixture.fake.addAccount({ email })
    writeFileSync(join(fixture.dir, 'auth.json'), JSON.stringify(account.authJson))
    const io = {
      stdout: () => undefined,
      stderr: () => undefined,
      env: fixture.env,
      cwd: fixture.dir,
    }
    expect(await runCli(['accounts', 'import', 'auth.json'], io)).toBe(0)
  })
  afterAll(async () => {
    await fixture.fake?.close()
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true })
  })
  return fixture
}
